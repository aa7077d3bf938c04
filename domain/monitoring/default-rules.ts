import type { AlertRule } from './rules';

/**
 * The rules in force until an admin saves others: they map the alerts Butler ships in
 * deploy/prometheus/ (the PBX and its trunks). Anything else is kept as unmatched.
 */
export const DEFAULT_ALERT_RULES: AlertRule[] = [
  {
    id: 'pbx-unreachable',
    name: 'PBX 응답 없음',
    matchers: [{ label: 'alertname', op: '=', value: 'PbxUnreachable' }],
    action: 'incident',
    severity: 'P1',
    complexity: 'complex',
    system: 'PBX',
    centerLabel: 'center',
    title: 'PBX 응답 없음: {{labels.instance}}',
    dedupeBy: 'alert',
    autoResolve: false,
    reopenWithinMinutes: 60,
  },
  {
    id: 'trunk-critical',
    name: '트렁크 사용률 95% 이상',
    matchers: [{ label: 'alertname', op: '=', value: 'TrunkUtilizationCritical' }],
    action: 'incident',
    severity: 'P2',
    complexity: 'simple',
    system: 'PBX',
    centerLabel: 'center',
    title: '트렁크 {{labels.trunk}}{{#if labels.line}} ({{labels.line}}){{/if}} 사용률 {{annotations.utilization}} (95% 이상)',
    dedupeBy: 'alert',
    autoResolve: false,
    reopenWithinMinutes: 60,
  },
  {
    id: 'trunk-warning',
    name: '트렁크 사용률 80% 이상 (SPM 알림)',
    matchers: [{ label: 'alertname', op: '=', value: 'TrunkUtilizationHigh' }],
    action: 'notify',
    severity: 'P3',
    complexity: 'simple',
    system: 'PBX',
    centerLabel: 'center',
    title: '트렁크 {{labels.trunk}}{{#if labels.line}} ({{labels.line}}){{/if}} 사용률 {{annotations.utilization}} (80% 이상)',
    dedupeBy: 'alert',
    autoResolve: false,
    reopenWithinMinutes: 60,
  },
];
