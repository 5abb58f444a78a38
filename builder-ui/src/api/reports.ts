import type { DomainReport, NodeReport } from '../../../engine/reports/report-shapes.js';
import { request } from './client.js';

export type { DomainReport, NodeReport };

/** The reports API, as the Reports view uses it. */
export interface ReportsApi {
  version: (versionId: string) => Promise<{ versionId: string; runs: number; nodes: NodeReport[] }>;
  domains: (versionId: string) => Promise<{ domains: DomainReport[] }>;
  versionCsvUrl: (versionId: string) => string;
  domainsCsvUrl: (versionId: string) => string;
}

const v = (id: string) => encodeURIComponent(id);

/** The reports API. */
export const reportsApi: ReportsApi = {
  version: (id) => request('GET', `/api/reports/versions/${v(id)}`),
  domains: (id) => request('GET', `/api/reports/domains?versionId=${v(id)}`),
  versionCsvUrl: (id) => `/api/reports/versions/${v(id)}?format=csv`,
  domainsCsvUrl: (id) => `/api/reports/domains?versionId=${v(id)}&format=csv`,
};
