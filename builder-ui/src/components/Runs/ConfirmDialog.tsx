import { useEffect, useRef, type JSX } from 'react';

/**
 * An inline confirmation: a question with Confirm and Back. Focus moves to Back, so Enter on
 * a stray key press never confirms an action that changes runs.
 */
export function ConfirmDialog(props: {
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}): JSX.Element {
  const back = useRef<HTMLButtonElement>(null);
  useEffect(() => back.current?.focus(), []);
  return (
    <div
      role="alertdialog"
      aria-label={props.confirmLabel}
      aria-describedby="confirm-question"
      className="confirm"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          props.onCancel();
        }
      }}
    >
      <p id="confirm-question">{props.question}</p>
      <button type="button" onClick={props.onConfirm}>
        {props.confirmLabel}
      </button>
      <button type="button" ref={back} onClick={props.onCancel}>
        Back
      </button>
    </div>
  );
}
