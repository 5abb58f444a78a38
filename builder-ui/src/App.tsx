import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useState, type JSX } from 'react';
import { EditorPage } from './components/EditorPage/EditorPage.js';
import { JourneyList } from './components/JourneyList/JourneyList.js';

// The route is the hash: `#/journeys/<id>` or `#/journeys/new`. Only opaque journey ids go in
// the address, never a name or anything about a patient.
type Route = { page: 'list' } | { page: 'editor'; journeyId: string | null };

function readRoute(): Route {
  const match = /^#\/journeys\/([A-Za-z0-9_-]+)$/.exec(window.location.hash);
  if (match === null) {
    return { page: 'list' };
  }
  return { page: 'editor', journeyId: match[1] === 'new' ? null : (match[1] ?? null) };
}

/** The builder: the journey list, or one journey's editor. */
export function App(): JSX.Element {
  const [route, setRoute] = useState<Route>(readRoute);
  useEffect(() => {
    const onHash = () => setRoute(readRoute());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const go = (hash: string) => {
    window.location.hash = hash;
  };

  if (route.page === 'list') {
    return (
      <JourneyList
        onOpen={(id) => go(`#/journeys/${id}`)}
        onNew={() => go('#/journeys/new')}
        onImported={(id) => go(`#/journeys/${id}`)}
      />
    );
  }
  return (
    <ReactFlowProvider>
      <EditorPage
        journeyId={route.journeyId}
        onSaved={(id) => {
          if (route.journeyId !== id) {
            // A new journey got its id: the address follows without reopening the editor.
            window.history.replaceState(null, '', `#/journeys/${id}`);
            setRoute({ page: 'editor', journeyId: id });
          }
        }}
        onClose={() => go('#/')}
      />
    </ReactFlowProvider>
  );
}
