import { useEffect, useRef, type JSX } from 'react';

/** Confirms a publish, listing what changed against the published version. */
export function PublishDialog(props: {
  changes: readonly string[];
  onConfirm: () => void;
  onCancel: () => void;
}): JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} aria-labelledby="publish-title" onCancel={props.onCancel}>
      <h2 id="publish-title">Publish this journey?</h2>
      <p>New runs will start on the new version; runs in flight keep theirs.</p>
      <ul data-testid="change-summary">
        {props.changes.map((change) => (
          <li key={change}>{change}</li>
        ))}
      </ul>
      <div className="toolbar">
        <button type="button" onClick={props.onConfirm} data-testid="confirm-publish">
          Publish
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
