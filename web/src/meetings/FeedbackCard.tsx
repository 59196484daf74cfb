import { answerMeeting, type MeetingDetail } from '../api/meetings';
import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';
import { useAsyncAction } from '../ui/useAsyncAction';

/**
 * "Did you meet?" on the meeting page: the same answer the follow-up message asks for, for a
 * participant who comes here instead. It feeds the group's stats; the latest answer counts.
 */
export function FeedbackCard({ meeting, onChange }: { meeting: MeetingDetail; onChange: (m: MeetingDetail) => void }) {
  const action = useAsyncAction();
  // The server takes an answer only once the meeting could have taken place: say so instead of offering buttons.
  const notYet = meeting.startsAt !== null && Date.parse(meeting.startsAt) > Date.now();
  const answer = (value: 'yes' | 'no') =>
    void action.run(async () => {
      await answerMeeting(meeting.id, value);
      onChange({ ...meeting, feedback: value });
    });
  return (
    <section className="card" aria-labelledby="feedback-title">
      <h2 id="feedback-title" className="card-title">
        Did you meet?
      </h2>
      <p className="card-lede">
        {notYet
          ? 'Once the meeting has started, you can tell us here whether it took place.'
          : meeting.feedback === null
            ? 'Tell us whether this meeting took place: it helps the organisers see how the group is doing.'
            : meeting.feedback === 'yes'
              ? 'You said you met. Thanks!'
              : 'You said you didn’t meet. Thanks for telling us.'}
      </p>
      {action.error ? <ErrorAlert>{action.error.message}</ErrorAlert> : null}
      {notYet ? null : (
        <div className="meeting-actions">
          <Button
            variant={meeting.feedback === 'yes' ? 'primary' : 'secondary'}
            aria-pressed={meeting.feedback === 'yes'}
            busy={action.busy}
            onClick={() => answer('yes')}
          >
            Yes, we met
          </Button>
          <Button
            variant={meeting.feedback === 'no' ? 'primary' : 'secondary'}
            aria-pressed={meeting.feedback === 'no'}
            busy={action.busy}
            onClick={() => answer('no')}
          >
            No, we didn’t
          </Button>
        </div>
      )}
    </section>
  );
}
