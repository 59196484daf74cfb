import { ErrorAlert } from './Alert';
import { Button } from './Button';

/** A failed load, with a way to try again. */
export function LoadError({ what, message, onRetry }: { what: string; message: string; onRetry: () => void }) {
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
