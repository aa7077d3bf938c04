/**
 * The subset of Genesys Cloud JSON the adapter reads, named after the models
 * of the official SDK (purecloud-platform-client-v2). Only fields the adapter
 * uses are declared; everything is optional because Genesys omits empty fields.
 */

export interface GenesysErrorBody {
  message?: string;
  code?: string;
  status?: number;
  contextId?: string;
}

/** EntityListing (page-number or cursor paged). */
export interface EntityListing<T> {
  entities?: T[];
  pageSize?: number;
  pageNumber?: number;
  total?: number;
  pageCount?: number;
  nextUri?: string;
}

export interface User {
  id: string;
  name: string;
  email?: string;
  username?: string;
  state: 'active' | 'inactive' | 'deleted';
  version: number;
}

export interface UsersSearchResponse {
  total: number;
  results?: User[];
}

export interface NamedEntity {
  id: string;
  name: string;
}

export interface UserRoutingSkill {
  id: string;
  name?: string;
  proficiency?: number;
}

export interface TeamMemberAddListingResponse {
  entities?: Array<{ id: string }>;
  failures?: Array<{ id?: string; reason?: string }>;
}

export interface DomainEntityRef {
  id: string;
  name?: string;
}

export interface Schedule {
  id: string;
  name: string;
  description?: string;
  start: string;
  end: string;
  rrule?: string;
  version?: number;
}

export interface ScheduleGroup {
  id: string;
  name: string;
  description?: string;
  version?: number;
  timeZone?: string;
  openSchedules?: DomainEntityRef[];
  closedSchedules?: DomainEntityRef[];
  holidaySchedules?: DomainEntityRef[];
}

export interface LicenseDefinition {
  id: string;
  description?: string;
}

export interface UserLicenses {
  id: string;
  licenses?: string[];
}

export interface Organization {
  id: string;
  name?: string;
}

export interface TrusteeBillingOverview {
  usages?: Array<{ name: string; partNumber?: string; usageQuantity?: string; prepayQuantity?: string }>;
}

/** Queue (the fields call volume needs): every queue belongs to one division. */
export interface Queue {
  id: string;
  name: string;
  division?: DomainEntityRef;
}

/** ConversationAggregationQuery: `interval` is "<ISO start>/<ISO end>", `granularity` an ISO-8601 period. */
export interface ConversationAggregationQuery {
  interval: string;
  granularity?: string;
  timeZone?: string;
  groupBy?: string[];
  filter?: ConversationAggregateQueryFilter;
  metrics: string[];
}

export interface ConversationAggregateQueryFilter {
  type: 'and' | 'or';
  predicates?: Array<{ type?: 'dimension'; dimension: string; operator?: 'matches' | 'exists' | 'notExists'; value?: string }>;
}

/** ConversationAggregateQueryResponse; Genesys leaves `results` out when nothing matched. */
export interface ConversationAggregateQueryResponse {
  results?: Array<{
    /** Dimension → value, e.g. `{ queueId, mediaType }`. */
    group?: Record<string, string>;
    data?: Array<{
      /** The bucket, "<ISO start>/<ISO end>" in UTC. */
      interval: string;
      metrics?: Array<{ metric: string; stats?: { count?: number; sum?: number; min?: number; max?: number } }>;
    }>;
  }>;
}
