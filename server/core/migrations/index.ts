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
import * as sipBans from './20261121_0019_sip_bans.js';
import * as dialRules from './20261121_0020_dial_rules.js';
import * as survey from './20261121_0015_survey.js';
import * as recordingPolicy from './20261121_0014_recording_policy.js';
import * as userSecurity from './20261121_0016_user_security.js';
import * as phones from './20261121_0017_phones.js';
import * as reportSchedules from './20261121_0018_report_schedules.js';
import * as numbersSchedules from './20261121_0022_numbers_schedules.js';
import * as kpiSummary from './20261121_0012_kpi_summary.js';
import * as records from './20261121_0013_records.js';
import * as sealedFields from './20261121_0024_sealed_fields.js';
import * as trunks from './20261121_0021_trunks.js';
import * as kpiDayRollups from './20261121_0025_kpi_day_rollups.js';
import * as blindIndexes from './20261121_0026_blind_indexes.js';

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
  '20261121_0019_sip_bans': sipBans,
  '20261121_0020_dial_rules': dialRules,
  '20261121_0015_survey': survey,
  '20261121_0014_recording_policy': recordingPolicy,
  '20261121_0016_user_security': userSecurity,
  '20261121_0017_phones': phones,
  '20261121_0018_report_schedules': reportSchedules,
  '20261121_0022_numbers_schedules': numbersSchedules,
  '20261121_0012_kpi_summary': kpiSummary,
  '20261121_0013_records': records,
  '20261121_0024_sealed_fields': sealedFields,
  '20261121_0021_trunks': trunks,
  '20261121_0025_kpi_day_rollups': kpiDayRollups,
  '20261121_0026_blind_indexes': blindIndexes,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name] as Knex.Migration,
};
