import '@xyflow/react/dist/style.css';
import '../src/styles.css';
import { ReactFlowProvider } from '@xyflow/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { largeJourney } from '../../test/bench/large-journey.js';
import { EditorPage } from '../src/components/EditorPage/EditorPage.js';
import { gridded } from './gridded.js';
import { PlainFlow } from './PlainFlow.js';

// `?mode=ours|plain&n=500`: the same journey, in Pathwell's editor or in plain React Flow.
const params = new URLSearchParams(window.location.search);
const size = Number(params.get('n') ?? '500');
const document_ = gridded(largeJourney(size));
const root = document.getElementById('root');
if (root !== null) {
  createRoot(root).render(
    <StrictMode>
      <ReactFlowProvider>
        {params.get('mode') === 'plain' ? (
          <PlainFlow document={document_} />
        ) : (
          <EditorPage journeyId={null} initial={document_} onSaved={() => {}} onClose={() => {}} />
        )}
      </ReactFlowProvider>
    </StrictMode>,
  );
}
