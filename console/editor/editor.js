// The console playground's document editor: CodeMirror 6 with the JSON language, completion, linting and
// hover help from the generated document JSON Schema (codemirror-json-schema). scripts/build-playground.sh
// bundles this file with esbuild into console/web/static/editor.js, which the playground page loads; the page's own
// script (console/web/static/playground.js) talks to it only through window.FramecastEditor, defined here.
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from "@codemirror/view";
import { EditorState, EditorSelection, Prec } from "@codemirror/state";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { json, jsonParseLinter } from "@codemirror/lang-json";
import { bracketMatching, foldGutter, foldKeymap, indentOnInput, syntaxHighlighting, defaultHighlightStyle } from "@codemirror/language";
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { linter, lintGutter, lintKeymap } from "@codemirror/lint";
import { jsonCompletion, jsonSchemaLinter, stateExtensions, handleRefresh, getJsonPointers } from "codemirror-json-schema";

// create makes an editor in parent showing text, checked and completed against schema (a JSON Schema
// object). onChange(text) is called after every edit; label names the editor for screen readers; nonce is
// the page's Content-Security-Policy nonce for the <style> element CodeMirror adds (its themes).
function create(parent, { text, schema, onChange, label, nonce }) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), foldGutter(), drawSelection(),
        history(), indentOnInput(), bracketMatching(), closeBrackets(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        EditorView.cspNonce.of(nonce || ""),
        json(), EditorView.lineWrapping,
        linter(jsonParseLinter(), { delay: 300 }),
        linter(jsonSchemaLinter(), { delay: 300, needsRefresh: handleRefresh }),
        lintGutter(),
        autocompletion({ override: [jsonCompletion()] }),
        stateExtensions(schema),
        // Tab indents; Escape then Tab (within 2 s) leaves the editor, also when Escape first collapses a
        // selection (CodeMirror's own Escape handling arms the exit only when no command took the key).
        Prec.highest(keymap.of([{ key: "Escape", run: (v) => { v.setTabFocusMode(2000); return false; } }])),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...foldKeymap, ...completionKeymap, ...lintKeymap, indentWithTab]),
        EditorView.contentAttributes.of({ "aria-label": label || "Document", "aria-multiline": "true" }),
        EditorView.updateListener.of((u) => { if (u.docChanged && onChange) onChange(u.state.doc.toString()); }),
      ],
    }),
  });
  return {
    view,
    // text returns the document being edited.
    text: () => view.state.doc.toString(),
    // setText replaces the whole document (a new starting point), as one undoable change.
    setText(next) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next }, selection: EditorSelection.cursor(0) });
    },
    // goTo moves the cursor to the value at a JSON pointer ("/tracks/0/clips/1/animations/0/type"), or to
    // the deepest parent of it that exists, scrolls it into view and focuses the editor. It returns the
    // pointer it found.
    goTo(pointer) {
      const pointers = getJsonPointers(view.state, "json");
      let p = pointer;
      while (p && !pointers.has(p)) p = p.slice(0, p.lastIndexOf("/"));
      const at = pointers.get(p);
      const from = at ? (at.keyFrom ?? at.valueFrom) : 0;
      const to = at ? (at.keyTo ?? at.valueTo ?? from) : 0;
      view.dispatch({ selection: EditorSelection.range(from, to), effects: EditorView.scrollIntoView(from, { y: "center" }) });
      view.focus();
      return p;
    },
    // goToLine moves the cursor to a line and column (both from 1), as a JSON syntax error names them.
    goToLine(line, column) {
      const doc = view.state.doc;
      const l = doc.line(Math.min(Math.max(1, line), doc.lines));
      const pos = Math.min(l.from + Math.max(0, column - 1), l.to);
      view.dispatch({ selection: EditorSelection.cursor(pos), effects: EditorView.scrollIntoView(pos, { y: "center" }) });
      view.focus();
    },
    focus: () => view.focus(),
  };
}

window.FramecastEditor = { create };
