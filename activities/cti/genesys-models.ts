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
