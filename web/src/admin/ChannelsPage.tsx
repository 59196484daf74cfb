import { listChannels } from '../api/notifications';
import { LoadError } from '../ui/LoadError';
import { Loading } from '../ui/Spinner';
import { useDocumentTitle } from '../ui/useDocumentTitle';
import { useLoad } from '../ui/useLoad';
import { ChannelCard } from './ChannelsCard';

export function ChannelsPage() {
  useDocumentTitle('Notification channels');
  const { data, loading, error, reload, setData } = useLoad('channels', listChannels);
  return (
    <>
      <header className="page-header">
        <h1>Notification channels</h1>
        <p className="page-lede">
          How Convene sends introductions, reminders and follow-ups. People choose among the channels you turn on.
        </p>
      </header>
      {loading && !data ? <Loading label="Loading channels…" /> : null}
      {error ? <LoadError what="channels" message={error} onRetry={reload} /> : null}
      <div className="stack">
        {data?.map((channel) => (
          <ChannelCard
            key={channel.channel}
            channel={channel}
            onSaved={(next) => setData((all) => all?.map((c) => (c.channel === next.channel ? next : c)))}
          />
        ))}
      </div>
    </>
  );
}
