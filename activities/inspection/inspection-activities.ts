import { heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { findDevice, listCenters, listDevices } from '../../db/devices.repo';
import { findIncident, nextIncidentId } from '../../db/incidents.repo';
import { claimFindingIncident as claim, inspectionIdOfWorkflow, nextInspectionId, replaceReadings, saveInspection } from '../../db/inspections.repo';
import { currentSlaSnapshot } from '../../db/sla.repo';
import type { IncidentWorkflowInput, ManagedSystem } from '../../domain/incident/contracts';
import { DeviceSystem, InspectedSystem, type CollectorTarget, type Finding, type InspectionState } from '../../domain/inspection/contracts';
import { collectionFailureFinding, compareFindings, evaluate } from '../../domain/inspection/rules';
import type { Collectors } from './collectors';
import { asActivity } from '../../adapters/vendor-errors';
import { loadRules } from './rule-settings';

/** What a critical finding opens: an incident the on-call picks up like any monitoring alarm. */
const FINDING_INCIDENT = { severity: 'P3', complexity: 'simple' } as const;
const INSPECTION_ACTOR = { id: 'monthly-inspection', role: 'automation' } as const;

export function createInspectionActivities({ pool, collectors }: { pool: Pool; collectors: Collectors }) {
  return {
    async projectInspection({ state, version, workflowId }: { state: InspectionState; version: number; workflowId: string }): Promise<void> {
      await saveInspection(pool, workflowId, state, version);
    },

    /** Names the run (a scheduled one gets its id here, once) and plans one collector per center and system that has devices. */
    async beginInspection(req: { workflowId: string; id?: string; period: string; centers?: string[] }) {
      const id = req.id ?? (await inspectionIdOfWorkflow(pool, req.workflowId)) ?? (await nextInspectionId(pool));
      const centers = req.centers?.length ? [...req.centers] : await listCenters(pool);
      const devices = await listDevices(pool, { centers });
      const targets: Array<CollectorTarget & { devices: number }> = [];
      for (const center of centers) {
        const own = devices.filter((d) => d.center === center);
        for (const system of InspectedSystem.options) {
          const count = isDeviceSystem(system) ? own.filter((d) => d.system === system).length : own.length;
          if (count > 0) targets.push({ center, system, devices: count });
        }
      }
      return { id, centers, targets };
    },

    /** One collector: reads the system's devices (heartbeating per device), keeps the readings, and judges them by the rules. */
    async collectSystem(req: { inspectionId: string; period: string; target: CollectorTarget; asOf: string }) {
      const { target } = req;
      const devices = isDeviceSystem(target.system)
        ? await listDevices(pool, { center: target.center, system: target.system })
        : await listDevices(pool, { center: target.center });
      const result = await asActivity(() =>
        collectors.collect(target, devices, { asOf: req.asOf, period: req.period, onDeviceDone: (done, total) => heartbeat({ done, total }) }),
      );
      await replaceReadings(pool, req.inspectionId, req.period, target.center, target.system, result.readings);
      const rules = await loadRules(pool);
      const findings: Finding[] = [
        ...evaluate(result.readings, rules),
        ...result.failures.map((f) => collectionFailureFinding(target, f.deviceId, f.error)),
      ].sort(compareFindings);
      return { devices: devices.length, readings: result.readings.length, findings };
    },

    /**
     * The incident of a critical finding, claimed once per period and finding key: a rerun of the
     * period gets the same incident id back (and `exists`, so nothing new is started).
     */
    async claimFindingIncident(req: { period: string; inspectionId: string; finding: Finding }): Promise<IncidentWorkflowInput & { exists: boolean }> {
      const { finding } = req;
      const { incidentId } = await claim(pool, req.period, finding, () => nextIncidentId(pool));
      const sla = await currentSlaSnapshot(pool, FINDING_INCIDENT.severity, FINDING_INCIDENT.complexity);
      if (!sla) {
        throw ApplicationFailure.create({
          type: 'Conflict',
          message: `no SLA policy for ${FINDING_INCIDENT.severity}/${FINDING_INCIDENT.complexity}: an admin must define one before inspections can open incidents`,
          nonRetryable: true,
        });
      }
      const device = finding.deviceId ? await findDevice(pool, finding.deviceId) : undefined;
      const system: ManagedSystem = device?.system ?? (isDeviceSystem(finding.system) ? finding.system : 'OTHER');
      const what = [finding.deviceId ?? `${finding.center} ${finding.system}`, finding.metric, finding.item].filter(Boolean).join(' ');
      return {
        id: incidentId,
        title: `[정기점검 ${req.period}] ${finding.center} ${what} 위험`,
        description: [
          `${req.inspectionId}: ${finding.ruleId} — ${what}`,
          finding.value !== null ? `value ${finding.value} (threshold ${finding.threshold})` : (finding.error ?? ''),
          finding.proposal.ko,
        ]
          .filter(Boolean)
          .join('\n'),
        ...FINDING_INCIDENT,
        system,
        center: finding.center,
        source: 'monitoring',
        openedBy: INSPECTION_ACTOR,
        openedAt: new Date().toISOString(),
        sla,
        exists: (await findIncident(pool, incidentId)) !== null,
      };
    },
  };
}

function isDeviceSystem(system: InspectedSystem): system is DeviceSystem {
  return (DeviceSystem.options as readonly string[]).includes(system);
}
