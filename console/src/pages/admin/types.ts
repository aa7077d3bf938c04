import type { operations } from '../../api/schema';

/** Names for the admin pages' API shapes, read off the generated document (never written by hand). */
type Json<O extends keyof operations, S extends keyof operations[O]['responses']> = operations[O]['responses'][S] extends {
  content: { 'application/json': infer T };
}
  ? T
  : never;

export type PolicyList = Json<'getSlaPolicies', 200>;
export type Policy = PolicyList['items'][number];
export type PolicyBody = NonNullable<operations['putSlaPoliciesBySeverityByComplexity']['requestBody']>['content']['application/json'];
export type Severity = Policy['severity'];
export type Complexity = Policy['complexity'];
export type ClockKind = Policy['clock'];

export type Holiday = Json<'getCalendarHolidays', 200>['items'][number];
export type HolidayKind = Holiday['kind'];

export type Contact = Json<'getContacts', 200>['items'][number];
export type ContactBody = NonNullable<operations['postContacts']['requestBody']>['content']['application/json'];
export type Audience = Contact['audience'];
export type DutyHours = Contact['hours'];

export type ApiToken = Json<'getTokens', 200>['items'][number];
export type IssuedToken = Json<'postTokens', 201>;
export type TokenRole = ApiToken['role'];
