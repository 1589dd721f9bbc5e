// Bundles editor.js and what it imports into one minified script, ../web/static/editor.js, with the licence
// notices of the bundled packages in ../web/static/editor.js.LICENSES.txt. Run by scripts/build-playground.sh
// after `npm ci`; the output is committed, so neither Node nor this build runs at `make run`.
import * as esbuild from "esbuild";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, "../web/static/editor.js");

// Modules of codemirror-json-schema (and one of json-schema-library) the playground does not use, replaced by small stubs (see stubs/).
const replaced = [
  { filter: /\/utils\/markdown(\.js)?$/, with: "stubs/markdown.js" },
  { filter: /\/(json5|yaml)-parser(\.js)?$/, with: "stubs/unused-parser.js" },
  { filter: /^smtp-address-parser$/, with: "stubs/no-email.js", from: "json-schema-library" },
];
const stubs = {
  name: "stubs",
  setup(build) {
    for (const r of replaced) {
      build.onResolve({ filter: r.filter }, (args) =>
        args.importer.includes(r.from ?? "codemirror-json-schema") ? { path: join(here, r.with) } : undefined);
    }
  },
};

const result = await esbuild.build({
  entryPoints: [join(here, "editor.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  legalComments: "none",
  metafile: true,
  outfile: out,
  plugins: [stubs],
  logLevel: "warning",
});

// The licence notices: one per package with code in the bundle, read from its own folder.
const packages = new Map();
for (const input of Object.keys(result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].inputs)) {
  const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (!m || packages.has(m[1])) continue;
  const dir = join(here, "node_modules", m[1]);
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = ["LICENSE", "LICENSE.md", "LICENSE.txt", "license", "LICENCE"].map((f) => join(dir, f)).find((f) => existsSync(f));
  packages.set(m[1], { version: pkg.version, license: pkg.license, text: file ? readFileSync(file, "utf8").trim() : `(${pkg.license}; no licence file in the package)` });
}
const notices = [...packages.keys()].sort().map((name) => {
  const p = packages.get(name);
  return `${name} ${p.version} (${p.license})\n\n${p.text}\n`;
});
writeFileSync(out + ".LICENSES.txt",
  "The console's editor bundle (editor.js) contains the following packages, under these licences.\n\n" +
  notices.join("\n" + "-".repeat(78) + "\n\n"));
const size = result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].bytes;
console.log(`editor.js: ${size} bytes, ${packages.size} packages`);
