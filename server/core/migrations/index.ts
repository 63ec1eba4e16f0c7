import type { Knex } from 'knex';
import * as foundation from './20261121_0001_foundation.js';
import * as calls from './20261121_0002_calls.js';
import * as routing from './20261121_0003_routing.js';
import * as callbacks from './20261121_0004_callbacks.js';
import * as desk from './20261121_0010_desk.js';
import * as crm from './20261121_0005_crm.js';
import * as auditMonitoring from './20261121_0006_audit_monitoring.js';
import * as alerts from './20261121_0007_alerts.js';
import * as agentSessions from './20261121_0008_agent_sessions.js';
import * as callControl from './20261121_0009_call_control.js';
import * as roles from './20261121_0011_roles.js';
import * as records from './20261121_0013_records.js';

// Listed explicitly so the same code runs under tsx and from dist/ without a file-system scan.
const migrations: Record<string, Knex.Migration> = {
  '20261121_0001_foundation': foundation,
  '20261121_0002_calls': calls,
  '20261121_0003_routing': routing,
  '20261121_0004_callbacks': callbacks,
  '20261121_0010_desk': desk,
  '20261121_0005_crm': crm,
  '20261121_0006_audit_monitoring': auditMonitoring,
  '20261121_0007_alerts': alerts,
  '20261121_0008_agent_sessions': agentSessions,
  '20261121_0009_call_control': callControl,
  '20261121_0011_roles': roles,
  '20261121_0013_records': records,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name] as Knex.Migration,
};
