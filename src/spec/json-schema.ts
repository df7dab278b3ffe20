/** A JSON Schema document (draft 2020-12 or 7), as plain data. */
export type JSONSchema = { [key: string]: unknown };
