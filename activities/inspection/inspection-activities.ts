import { Context, heartbeat } from '@temporalio/activity';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Pool } from 'pg';
import { findDevice, listCenters, listDevices } from '../../db/devices.repo';
import { findIncident, nextIncidentId } from '../../db/incidents.repo';
import {
  claimFindingIncident as claim,
  findingIncidentsOf,
  findingsOf,
  inspectionIdOfWorkflow,
  nextInspectionId,
  replaceCollected,
  replaceFindings,
  saveInspection,
} from '../../db/inspections.repo';
import { currentSlaSnapshot } from '../../db/sla.repo';
import type { IncidentWorkflowInput, ManagedSystem } from '../../domain/incident/contracts';
import { DeviceSystem, InspectedSystem, type CollectorTarget, type Finding, type InspectionState } from '../../domain/inspection/contracts';
import { collectionFailureFinding, compareFindings, evaluate } from '../../domain/inspection/rules';
import type { Collectors } from './collectors';
import { asActivity } from '../../adapters/vendor-errors';
import { loadRules } from './rule-settings';
import { forEachBounded } from '../../domain/bounded';
import { incidentWorkflowId } from '../../domain/incident/workflow-id';

/** What a critical finding opens: an incident the on-call picks up like any monitoring alarm. */
const FINDING_INCIDENT = { severity: 'P3', complexity: 'simple' } as const;
const INSPECTION_ACTOR = { id: 'monthly-inspection', role: 'automation' } as const;
/** Incidents opened at once: one after another, they were most of a large inspection's time (bench/inspection). */
const INCIDENTS_AT_ONCE = 16;

interface CollectRequest {
  inspectionId: string;
  period: string;
  target: CollectorTarget;
  asOf: string;
}

/** What a collector of an inspection begun since issue 18 returns: how much, not what. */
export interface CollectorCounts {
  devices: number;
  readings: number;
  findings: number;
  critical: number;
}

export function createInspectionActivities({ pool, collectors }: { pool: Pool; collectors: Collectors }) {
  /** Reads a collector's devices and judges the readings by the rules; a device it could not read is a finding too. */
  async function collect(req: CollectRequest) {
    const { target } = req;
    const devices = isDeviceSystem(target.system)
      ? await listDevices(pool, { center: target.center, system: target.system })
      : await listDevices(pool, { center: target.center });
    const result = await asActivity(() =>
      collectors.collect(target, devices, { asOf: req.asOf, period: req.period, onDeviceDone: (done, total) => heartbeat({ done, total }) }),
    );
    const rules = await loadRules(pool);
    const findings: Finding[] = [
      ...evaluate(result.readings, rules),
      ...result.failures.map((f) => collectionFailureFinding(target, f.deviceId, f.error)),
    ].sort(compareFindings);
    return { devices: devices.length, readings: result.readings, findings };
  }

  /**
   * The incident of a critical finding, claimed once per period and finding key: a rerun of the
   * period gets the same incident id back (and `exists`, so nothing new is started).
   */
  async function incidentOf(period: string, inspectionId: string, finding: Finding): Promise<IncidentWorkflowInput & { exists: boolean }> {
    const { incidentId } = await claim(pool, period, finding, () => nextIncidentId(pool));
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
      title: `[정기점검 ${period}] ${finding.center} ${what} 위험`,
      description: [
        `${inspectionId}: ${finding.ruleId} — ${what}`,
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
  }

  return {
    /**
     * Writes the read model. `findingsStored`: the workflow keeps its findings and their incidents in the
     * database, not in its state (since issue 18), and the read model, the inspection as the API shows
     * it, gets them from there.
     */
    async projectInspection(req: { state: InspectionState; version: number; workflowId: string; findingsStored?: boolean }): Promise<void> {
      const { id, period } = req.state;
      const state = req.findingsStored
        ? { ...req.state, findings: await findingsOf(pool, id), incidents: await findingIncidentsOf(pool, id, period) }
        : req.state;
      await saveInspection(pool, req.workflowId, state, req.version);
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

    /**
     * One collector, as inspections begun before issue 18 run it: reads the system's devices, keeps the
     * readings, and returns its findings to the workflow.
     */
    async collectSystem(req: CollectRequest) {
      const collected = await collect(req);
      await replaceCollected(pool, req.inspectionId, req.period, req.target, collected.readings);
      return { devices: collected.devices, readings: collected.readings.length, findings: collected.findings };
    },

    /**
     * One collector: reads the system's devices (heartbeating per device), and keeps the readings and
     * the findings the rules make of them. Returns only how many: the findings stay in the database,
     * so the result does not grow with the inventory.
     */
    async inspectSystem(req: CollectRequest): Promise<CollectorCounts> {
      const collected = await collect(req);
      await replaceCollected(pool, req.inspectionId, req.period, req.target, collected.readings, collected.findings);
      return {
        devices: collected.devices,
        readings: collected.readings.length,
        findings: collected.findings.length,
        critical: collected.findings.filter((f) => f.severity === 'critical').length,
      };
    },

    /** A collector that failed as a whole leaves one finding, in place of anything an attempt of it stored. */
    async recordCollectorFailure(req: { inspectionId: string; target: CollectorTarget; cause: string }): Promise<void> {
      await replaceFindings(pool, req.inspectionId, req.target, [collectionFailureFinding(req.target, null, req.cause)]);
    },

    /**
     * Opens the incident of every critical finding the inspection stored, a few at a time: each claimed
     * once per period and finding key, its workflow started with the incident's id (an incident
     * already started, by a retry of this activity or an earlier run of the period, is left as it
     * is). Incidents live on after the inspection, so they are started as workflows of their own. Returns
     * how many: which ones the read model reads from the claims (`finding_incidents`).
     */
    async openFindingIncidents(req: { inspectionId: string; period: string }): Promise<{ incidents: number }> {
      const context = Context.current();
      // A device's failure found by two collectors is one finding key, and one incident.
      const critical = [...new Map((await findingsOf(pool, req.inspectionId, 'critical')).map((f) => [f.key, f])).values()];
      let done = 0;
      await forEachBounded(critical, INCIDENTS_AT_ONCE, async (finding) => {
        const { exists, ...incident } = await incidentOf(req.period, req.inspectionId, finding);
        if (!exists) await startIncident(context, incident);
        context.heartbeat({ done: ++done, total: critical.length });
      });
      return { incidents: critical.length };
    },

    /** The incident of a critical finding, for inspections begun before issue 18 (they start it as a child workflow). */
    async claimFindingIncident(req: { period: string; inspectionId: string; finding: Finding }): Promise<IncidentWorkflowInput & { exists: boolean }> {
      return incidentOf(req.period, req.inspectionId, req.finding);
    },
  };
}

/** Starts an incident's workflow on this worker's task queue, unless a run of it was started before. */
async function startIncident(context: Context, incident: IncidentWorkflowInput): Promise<void> {
  try {
    await context.client.workflow.start('incidentWorkflow', {
      workflowId: incidentWorkflowId(incident.id),
      taskQueue: context.info.taskQueue,
      args: [incident],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (err) {
    // Started by an earlier attempt of this activity, or a rerun of the period: it is open (or was, and is closed).
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

function isDeviceSystem(system: InspectedSystem): system is DeviceSystem {
  return (DeviceSystem.options as readonly string[]).includes(system);
}
