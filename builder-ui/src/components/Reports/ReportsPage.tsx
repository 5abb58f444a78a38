import { useState, type JSX } from 'react';
import { ApiError } from '../../api/client.js';
import { type DomainReport, type NodeReport, reportsApi } from '../../api/reports.js';
import { CountsTable } from './CountsTable.js';
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
          <CountsTable
            label="Per-node counts"
            headings={['Node', 'Kind', 'Entered', 'Passed', 'Blocked', 'Accepted', 'Bounced']}
            rows={report.nodes.map((n) => ({
              key: n.nodeId,
              cells: [n.nodeId, n.kind, n.entered, n.passed, n.blocked, n.accepted, n.bounced],
            }))}
          />
          <CountsTable
            label="Per-domain counts"
            headings={['Domain', 'Messages', 'TLS', 'Portal', 'PGP', 'Blocked', 'Bounce rate']}
            rows={report.domains.map((d) => ({
              key: d.domain,
              cells: [
                d.domain,
                d.messages,
                d.tls,
                d.portal,
                d.pgp,
                d.blocked,
                `${(d.bounceRate * 100).toFixed(1)}%`,
              ],
            }))}
          />
        </>
      ) : null}
    </main>
  );
}
