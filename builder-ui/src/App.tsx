import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useState, type JSX } from 'react';
import { EditorPage } from './components/EditorPage/EditorPage.js';
import { JourneyList } from './components/JourneyList/JourneyList.js';
import { ReportsPage } from './components/Reports/ReportsPage.js';
import { RunDetail } from './components/Runs/RunDetail.js';
import { RunsPage } from './components/Runs/RunsPage.js';

// The route is the hash: `#/journeys/<id>`, `#/journeys/new`, `#/runs`, `#/runs/<id>` or
// `#/reports`. Only opaque journey and run ids go in the address, never a name or anything
// about a patient.
type Route =
  | { page: 'list' }
  | { page: 'editor'; journeyId: string | null }
  | { page: 'runs' }
  | { page: 'run'; runId: string }
  | { page: 'reports' };

function readRoute(): Route {
  if (window.location.hash === '#/reports') {
    return { page: 'reports' };
  }
  const run = /^#\/runs(?:\/([A-Za-z0-9_.:-]+))?$/.exec(window.location.hash);
  if (run !== null) {
    return run[1] === undefined ? { page: 'runs' } : { page: 'run', runId: run[1] };
  }
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

  if (route.page === 'reports') {
    return (
      <>
        <Nav />
        <ReportsPage />
      </>
    );
  }
  if (route.page === 'runs' || route.page === 'run') {
    return (
      <>
        <Nav />
        {route.page === 'runs' ? (
          <RunsPage onOpen={(id) => go(`#/runs/${id}`)} />
        ) : (
          <RunDetail runId={route.runId} onBack={() => go('#/runs')} />
        )}
      </>
    );
  }
  if (route.page === 'list') {
    return (
      <>
        <Nav />
        <JourneyList
          onOpen={(id) => go(`#/journeys/${id}`)}
          onNew={() => go('#/journeys/new')}
          onImported={(id) => go(`#/journeys/${id}`)}
        />
      </>
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

// The screens besides the editor; plain links, so the browser's history and keyboard work.
function Nav(): JSX.Element {
  return (
    <nav aria-label="Screens" className="screens">
      <a href="#/">Journeys</a> <a href="#/runs">Runs</a> <a href="#/reports">Reports</a>
    </nav>
  );
}
