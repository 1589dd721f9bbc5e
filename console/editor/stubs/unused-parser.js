// Replaces codemirror-json-schema's JSON5 and YAML parsers in the bundle (see build.mjs): the playground
// edits JSON only, and those parsers would bring the json5 and yaml packages along.
function unsupported() {
  throw new Error("the playground editor edits JSON only");
}
export const parseJSON5DocumentState = unsupported;
export const parseYAMLDocumentState = unsupported;
