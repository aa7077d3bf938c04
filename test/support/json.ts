/**
 * JSON as a test reads it: an API answer, an emulator's answer, a recorded history's event
 * attributes. A test walks it freely and asserts what it finds, so a wrong field fails the
 * assertion rather than the compiler; the shapes themselves are fixed where they are made
 * (the zod contracts, the OpenAPI document and the response-shape tests). Everywhere else in
 * the tests a value has a type: this alias is the one door through which untyped JSON comes in.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert JSON shapes at run time (see above); typing each read would restate the contracts
export type Json = any;
