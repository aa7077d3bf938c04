/**
 * The floors of the house, checked (`npm run lint:deps`, and a phase of `npm test`).
 *
 *   api/ · scripts/ · bench/ · chaos/ · console/   entry points and people
 *   runtime/                                       wiring: config, start-up, shutdown, embedded starters
 *   workflows/                                     processes (deterministic)
 *   activities/                                    one factory per process, over:
 *   adapters/ · reports/ · db/                     vendors, the PDF engine, repositories
 *   domain/                                        pure rules and contracts (no I/O)
 *   system/                                        machine helpers; import nothing of Butler's
 *   emulators/                                     fake vendors; only adapters' protocol types (+ system/, domain/)
 *   test/                                          nothing outside test/ imports it
 *   templates/                                     .hbs files, read by the PDF engine
 *
 * Dependencies point down only. Each rule below names the floor it guards. Imports of
 * runtime/ from a lower floor and of test/ from anywhere are reported by their own rules
 * (`runtime-not-imported-below`, `nothing-imports-test`), not again by the floor rules, so
 * every wrong import is counted once.
 *
 * Type-only imports (`import type …`) are seen (tsPreCompilationDeps) and count like any
 * other import, except where a rule says otherwise: a workflow may `import type` the
 * activity interfaces it proxies, and the API may `import type` a workflow function to
 * type its start call.
 */

/** Butler's own top-level folders. */
const BUTLER = '^(api|scripts|bench|chaos|console|runtime|workflows|activities|adapters|reports|db|domain|system|emulators|test|templates)/';
/** An npm package, as dependency-cruiser resolves it. */
const npm = (name) => `(^|/)node_modules/${name}/`;
/** Type-only dependencies: `import type`, `import { type X }` only, `typeof import('…')`. */
const TYPES = ['type-only', 'type-import'];
/**
 * The protocol modules of the adapters, which emulators may import as values: the client
 * interfaces and their wire schemas (`*-client.ts`), vendor models (`*-models.ts`), errors
 * (`*-errors.ts`) and anything named `protocol`. Emulators may `import type` any adapter.
 */
const ADAPTER_PROTOCOL = '[/-](client|models|errors|protocol)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'workflows-only-domain',
      comment:
        'Workflows are deterministic and run in the Temporal sandbox: they import only domain/, other ' +
        'workflow modules and @temporalio/workflow or @temporalio/common (no Node built-ins, no I/O, ' +
        'no other package). Type-only imports are checked by workflows-type-imports.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: {
        pathNot: ['^workflows/', '^domain/', npm('@temporalio/(workflow|common)'), '^(runtime|test)/'],
        dependencyTypesNot: TYPES,
      },
    },
    {
      name: 'workflows-type-imports',
      comment:
        'A workflow may `import type` the activity interfaces it proxies (activities/), besides domain/, ' +
        'workflows/, @temporalio/* and zod types; nothing else, not even as a type.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: {
        pathNot: ['^workflows/', '^domain/', '^activities/', npm('@temporalio/[^/]+'), npm('zod'), '^(runtime|test)/'],
        dependencyTypes: TYPES,
      },
    },
    {
      name: 'domain-is-pure',
      comment:
        'domain/ holds pure rules and contracts: it imports only domain/, zod, csv-parse (sync parsing ' +
        'of strings) and node:crypto (createHash for the audit chain and the calendar version). ' +
        'No I/O, no other Node built-in, no other package, nothing else of Butler.',
      severity: 'error',
      from: { path: '^domain/' },
      to: {
        pathNot: ['^domain/', npm('zod'), npm('csv-parse'), '^(node:)?crypto$', '^runtime/', '^test/'],
      },
    },
    {
      name: 'activities-floor',
      comment:
        'Activities are built over adapters/, reports/, db/, domain/ and system/ (and other activity ' +
        'modules); they do not import workflows, the API, entry points, emulators or templates.',
      severity: 'error',
      from: { path: '^activities/' },
      to: { path: '^(api|scripts|bench|chaos|console|workflows|emulators|templates)/' },
    },
    {
      name: 'api-floor',
      comment:
        'The API imports domain/, db/, system/, the Temporal client helpers in adapters/temporal/ and ' +
        'workflow contracts (see api-only-workflow-contracts). Not runtime/ (runtime wires the API, ' +
        'not the other way), activities, other adapters, reports, emulators or other entry points.',
      severity: 'error',
      from: { path: '^api/' },
      to: {
        path: '^(scripts|bench|chaos|console|runtime|activities|adapters|reports|emulators|templates)/',
        pathNot: '^adapters/temporal/',
      },
    },
    {
      name: 'api-only-workflow-contracts',
      comment:
        'From workflows/ the API imports values only from the contracts: `messages.ts` (Updates, ' +
        'Queries, workflow ids) or `contract(s).ts`. A workflow function itself only as ' +
        '`import type` (to type a start call), never its code.',
      severity: 'error',
      from: { path: '^api/' },
      to: {
        path: '^workflows/',
        pathNot: '/(messages|contracts?)\\.ts$',
        dependencyTypesNot: TYPES,
      },
    },
    {
      name: 'adapters-floor',
      comment:
        'Adapters talk to one vendor each; they import other adapters, domain/ and system/ only ' +
        '(no repositories, no reports, no activities or anything above).',
      severity: 'error',
      from: { path: '^adapters/' },
      to: {
        path: '^(api|scripts|bench|chaos|console|workflows|activities|reports|db|emulators|templates)/',
      },
    },
    {
      name: 'reports-floor',
      comment:
        'The PDF engine imports reports/, domain/, system/ and the templates it renders; no vendors, activities or ' +
        'anything above. Repositories only as reports-store-only-its-repository says.',
      severity: 'error',
      from: { path: '^reports/' },
      to: { path: '^(api|scripts|bench|chaos|console|workflows|activities|adapters|emulators)/' },
    },
    {
      name: 'reports-store-only-its-repository',
      comment:
        'The issue puts the report store in reports/ ("the rendering engine: templates\' helpers, charts, the browser ' +
        'pool, the report store"): the store (report-store.ts) keeps what it rendered through the reports table\'s ' +
        'repository (db/reports.repo.ts). No other module of reports/ touches db/, and the store no other repository.',
      severity: 'error',
      from: { path: '^reports/' },
      to: { path: '^db/', pathNot: '^db/reports\\.repo\\.ts$' },
    },
    {
      name: 'reports-only-the-store-uses-db',
      comment: 'See reports-store-only-its-repository: of reports/, only the report store imports db/reports.repo.ts.',
      severity: 'error',
      from: { path: '^reports/', pathNot: '^reports/report-store\\.ts$' },
      to: { path: '^db/reports\\.repo\\.ts$' },
    },
    {
      name: 'db-floor',
      comment: 'Repositories and migrations import db/, domain/ and system/ only.',
      severity: 'error',
      from: { path: '^db/' },
      to: {
        path: '^(api|scripts|bench|chaos|console|workflows|activities|adapters|reports|emulators|templates)/',
      },
    },
    {
      name: 'system-imports-nothing',
      comment: 'system/ holds machine helpers (child processes, ports, logger, apt packages): it imports nothing of Butler but system/.',
      severity: 'error',
      from: { path: '^system/' },
      to: { path: BUTLER, pathNot: '^(system|runtime|test)/' },
    },
    {
      name: 'emulators-floor',
      comment:
        'Emulators are fake vendors speaking the real protocol: they import emulators/, system/, ' +
        'domain/ and adapters (see emulators-only-protocol); never activities, repositories, reports, ' +
        'workflows or anything above.',
      severity: 'error',
      from: { path: '^emulators/' },
      to: {
        path: '^(api|scripts|bench|chaos|console|workflows|activities|reports|db|templates)/',
      },
    },
    {
      name: 'emulators-only-protocol',
      comment:
        'From adapters/ an emulator imports values only from the protocol modules (*-client.ts, ' +
        '*-models.ts, *-errors.ts, *protocol.ts); any adapter module as `import type`. It must not ' +
        "reuse the adapter's implementation, or the emulator would agree with the adapter by construction.",
      severity: 'error',
      from: { path: '^emulators/' },
      to: { path: '^adapters/', pathNot: ADAPTER_PROTOCOL, dependencyTypesNot: TYPES },
    },
    {
      name: 'runtime-not-imported-below',
      comment:
        'runtime/ is wiring (config loading, start-up, shutdown, embedded starters): no lower floor ' +
        'imports it. A helper a lower floor needs belongs in system/ (machine) or domain/ (rules, roles).',
      severity: 'error',
      from: { path: '^(workflows|activities|adapters|reports|db|domain|system|emulators)/' },
      to: { path: '^runtime/' },
    },
    {
      name: 'runtime-floor',
      comment:
        'runtime/ starts the API (its app factory, api/app.ts) but does not import routes, services ' +
        'or the other entry points (scripts, bench, chaos, console), which sit above it.',
      severity: 'error',
      from: { path: '^runtime/' },
      to: { path: '^(api|scripts|bench|chaos|console)/', pathNot: '^api/app\\.ts$' },
    },
    {
      name: 'console-speaks-only-to-the-api',
      comment:
        'The console is a browser app: it reaches Butler through the HTTP API alone (its client is generated ' +
        'from the OpenAPI document), never by importing the server code.',
      severity: 'error',
      from: { path: '^console/' },
      to: { path: BUTLER, pathNot: '^console/' },
    },
    {
      name: 'nothing-imports-test',
      comment: 'Tests import the code; the code never imports test/ (harnesses, fixtures, fakes).',
      severity: 'error',
      from: { pathNot: '^test/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-circular',
      comment: 'Modules import each other in a circle. Type-only links count too: the cycle still says the two modules are one.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-dev-deps-in-production',
      comment:
        'The image installs with `npm ci --omit=dev`: code that runs in production (every folder but test/, bench/, ' +
        'chaos/, scripts/, and console/, which is bundled at build time from its devDependencies) must not import a ' +
        'devDependency, except as a type.',
      severity: 'error',
      from: { path: BUTLER, pathNot: '^(test|bench|chaos|scripts|console)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: TYPES },
    },
    {
      name: 'no-undeclared-deps',
      comment: 'An npm package that is not in package.json (it only works because something else pulled it in).',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to no file.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Butler's sources, not the tools' configuration files at the root; packages are leaves
    // (their path names them), never cruised.
    exclude: { path: ['^(\\.tools|\\.data|dist|coverage|deploy|console/dist|console/\\.api)/', '^[^/]+\\.[cm]?js$', '^console/vite\\.config\\.mjs$'] },
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    // See `import type` too, marked 'type-only', so rules can allow or forbid them.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
