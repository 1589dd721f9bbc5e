// Replaces codemirror-json-schema's utils/markdown.js in the bundle (see build.mjs): the schema's
// descriptions are plain sentences, so they are shown as escaped text, without markdown-it and the Shiki
// highlighter that module loads (about 600 kB minified).
const escapes = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function renderMarkdown(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => escapes[c]);
}
