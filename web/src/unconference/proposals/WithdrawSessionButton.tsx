import { useState } from 'react';
import { Button } from '../../ui/Button';
import { ConfirmDialog } from '../../ui/ConfirmDialog';

/**
 * "Withdraw", asked twice: the owner's card and the admin's card withdraw the same way, and both
 * say what is lost (the session and everyone's ratings of it).
 */
export function WithdrawSessionButton({
  title,
  busy,
  onWithdraw,
}: {
  /** The session's title, quoted in the question. */
  title: string;
  busy?: boolean;
  onWithdraw: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <Button size="sm" variant="ghost" busy={busy} onClick={() => setConfirming(true)}>
        Withdraw
      </Button>
      <ConfirmDialog
        open={confirming}
        title="Withdraw this session?"
        confirmLabel="Withdraw"
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          onWithdraw();
        }}
      >
        “{title}” and everyone’s ratings of it will be removed.
      </ConfirmDialog>
    </>
  );
}
