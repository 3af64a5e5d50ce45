import { ReactNode, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import type { RestoreRequest } from '@dbaas/plugin-dbaas-common';
import { describeError } from '../common/describeError';
import { responseStatusOf } from '../common/responseStatus';

export interface DecisionDialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  /** What the decision does, above the text field. */
  children: ReactNode;
  /** The id of the text field, unique on the page. */
  textId: string;
  textLabel: string;
  textHelp: string;
  /** The message shown when the text is empty, or undefined if optional. */
  textRequired?: string;
  confirmLabel: string;
  confirmColor: 'primary' | 'secondary';
  decide: (text: string) => Promise<RestoreRequest>;
  /** After a decision, or a refusal that may mean the request changed. */
  onChanged: () => void;
}

/** Why a decision was refused, with the backend's reason. */
function describeDecisionError(error: Error): string {
  const reason = describeError(error);
  switch (responseStatusOf(error)) {
    case 403:
      return `Not allowed: ${reason}`;
    case 409:
      return `Refused: ${reason}. The request may have changed, expired or been decided since you opened it; the list reloads.`;
    default:
      return `Could not send the decision: ${reason}`;
  }
}

const DecisionForm = ({
  onClose,
  title,
  children,
  textId,
  textLabel,
  textHelp,
  textRequired,
  confirmLabel,
  confirmColor,
  decide,
  onChanged,
}: DecisionDialogProps) => {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    if (textRequired && !text.trim()) {
      setProblem(textRequired);
      return;
    }
    setProblem(undefined);
    setFailure(undefined);
    setBusy(true);
    try {
      await decide(text.trim());
      onChanged();
      onClose();
    } catch (error) {
      setFailure(describeDecisionError(error as Error));
      // A refusal may mean the request changed: show what it is now.
      if (responseStatusOf(error as Error) === 409) {
        onChanged();
      }
      setBusy(false);
    }
  };

  return (
    <>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        {children}
        <TextField
          fullWidth
          multiline
          minRows={2}
          id={textId}
          label={textLabel}
          value={text}
          onChange={e => setText(e.target.value)}
          error={!!problem}
          helperText={problem ?? textHelp}
          margin="normal"
        />
        {failure && (
          <Typography color="error" role="alert">
            {failure}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Back
        </Button>
        <Button
          variant="contained"
          color={confirmColor}
          onClick={confirm}
          disabled={busy}
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </>
  );
};

/** A confirmation with a comment or reason, for approving or rejecting. */
export const DecisionDialog = (props: DecisionDialogProps) => (
  <Dialog open={props.open} onClose={props.onClose} maxWidth="sm" fullWidth>
    {props.open && <DecisionForm {...props} />}
  </Dialog>
);
