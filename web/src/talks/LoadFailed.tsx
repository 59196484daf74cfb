import { ErrorAlert } from '../ui/Alert';
import { Button } from '../ui/Button';

export function LoadFailed({ what, message, onRetry }: { what: string; message: string; onRetry: () => void }) {
  return (
    <ErrorAlert
      action={
        <Button size="sm" onClick={onRetry}>
          Try again
        </Button>
      }
    >
      Couldn’t load {what}: {message}
    </ErrorAlert>
  );
}
