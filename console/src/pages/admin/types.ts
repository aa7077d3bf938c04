import type { Body, Json } from '../../api/types';

/** Names for the admin pages' API shapes, read off the generated document (never written by hand). */
export type PolicyList = Json<'getSlaPolicies'>;
export type Policy = PolicyList['items'][number];
export type PolicyBody = Body<'putSlaPoliciesBySeverityByComplexity'>;
export type Severity = Policy['severity'];
export type Complexity = Policy['complexity'];
export type ClockKind = Policy['clock'];

export type Holiday = Json<'getCalendarHolidays'>['items'][number];
export type HolidayKind = Holiday['kind'];

export type Contact = Json<'getContacts'>['items'][number];
export type ContactBody = Body<'postContacts'>;
export type Audience = Contact['audience'];
export type DutyHours = Contact['hours'];

export type ApiToken = Json<'getTokens'>['items'][number];
export type IssuedToken = Json<'postTokens', 201>;
export type TokenRole = ApiToken['role'];
