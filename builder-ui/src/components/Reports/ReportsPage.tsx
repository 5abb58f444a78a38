import { useState, type JSX } from 'react';
import { ApiError } from '../../api/client.js';
import { type DomainReport, type NodeReport, reportsApi } from '../../api/reports.js';
import { NodeChart } from './NodeChart.js';

type Loaded = { versionId: string; runs: number; nodes: NodeReport[]; domains: DomainReport[] };

/** A published version's report: a per-node chart and table, the per-domain table, CSVs. */
export function ReportsPage(): JSX.Element {
  const [versionId, setVersionId] = useState('');
  const [report, setReport] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = async (id: string) => {
    setError(null);
    try {
      const [version, domains] = await Promise.all([
        reportsApi.version(id),
        reportsApi.domains(id),
      ]);
      setReport({ ...version, domains: domains.domains });
    } catch (e) {
      setReport(null);
      setError(e instanceof ApiError ? `${e.message} (${e.code})` : String(e));
    }
  };
  return (
    <main className="reports-page">
      <h1>Reports</h1>
      <form
        aria-label="Report"
        onSubmit={(event) => {
          event.preventDefault();
          if (versionId.trim() !== '') {
            void load(versionId.trim());
          }
        }}
      >
        <label>
          Version id
          <input value={versionId} onChange={(e) => setVersionId(e.target.value)} />
        </label>
        <button type="submit">Show report</button>
      </form>
      {error !== null ? (
        <p role="alert" className="warning">
          {error}
        </p>
      ) : null}
      {report !== null ? (
        <>
          <p>
            {report.runs} run(s).{' '}
            <a href={reportsApi.versionCsvUrl(report.versionId)} download>
              Download nodes CSV
            </a>{' '}
            <a href={reportsApi.domainsCsvUrl(report.versionId)} download>
              Download domains CSV
            </a>
          </p>
          <NodeChart nodes={report.nodes} />
          <table aria-label="Per-node counts">
            <thead>
              <tr>
                {['Node', 'Kind', 'Entered', 'Passed', 'Blocked', 'Accepted', 'Bounced'].map(
                  (h) => (
                    <th key={h} scope="col">
                      {h}
                    </th>
                  ),
                )}
              </tr>
            </thead>
            <tbody>
              {report.nodes.map((n) => (
                <tr key={n.nodeId}>
                  <td>{n.nodeId}</td>
                  <td>{n.kind}</td>
                  <td>{n.entered}</td>
                  <td>{n.passed}</td>
                  <td>{n.blocked}</td>
                  <td>{n.accepted}</td>
                  <td>{n.bounced}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table aria-label="Per-domain counts">
            <thead>
              <tr>
                {['Domain', 'Messages', 'TLS', 'Portal', 'PGP', 'Blocked', 'Bounce rate'].map(
                  (h) => (
                    <th key={h} scope="col">
                      {h}
                    </th>
                  ),
                )}
              </tr>
            </thead>
            <tbody>
              {report.domains.map((d) => (
                <tr key={d.domain}>
                  <td>{d.domain}</td>
                  <td>{d.messages}</td>
                  <td>{d.tls}</td>
                  <td>{d.portal}</td>
                  <td>{d.pgp}</td>
                  <td>{d.blocked}</td>
                  <td>{(d.bounceRate * 100).toFixed(1)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </main>
  );
}
