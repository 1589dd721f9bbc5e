// Framecast's MCP server as the official MCP TypeScript SDK client sees it (the client inside most agent
// hosts and IDEs). Run by mcp/conformance_test.go:
//
//   node conformance.mjs stdio <framecast binary> <data folder>   # framecast mcp --stdio (FRAMECAST_API_KEY set)
//   node conformance.mjs http <base URL> <API key>                  # framecast serve, streamable HTTP at /mcp
//
// listTools validates every tool's input and output schema (zod); callTool validates each structured
// result against its tool's output schema (Ajv). The script walks an agent's path: list, validate a bad
// and a good document, draw a frame, create + render + wait for a video with progress, read resources,
// get the prompt, and checks that bad arguments are refused as invalid params. It prints one line per
// check and exits 1 on the first failure.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpError, ErrorCode } from "@modelcontextprotocol/sdk/types.js";

const [mode, target, extra] = process.argv.slice(2);

function check(cond, what, detail) {
  if (!cond) {
    console.error(`FAIL ${what}${detail === undefined ? "" : ": " + (typeof detail === "string" ? detail : JSON.stringify(detail)).slice(0, 2000)}`);
    process.exit(1);
  }
  console.log(`ok   ${what}`);
}

// expectInvalidParams runs call and checks that it fails with the JSON-RPC error -32602 mentioning want.
async function expectInvalidParams(what, call, want) {
  try {
    const res = await call();
    check(false, what, { answered: res });
  } catch (e) {
    check(e instanceof McpError && e.code === ErrorCode.InvalidParams, `${what} -> -32602`, `${e && e.code} ${e && e.message}`);
    check(String(e.message).includes(want), `${what} names ${want}`, e.message);
  }
}

const doc = {
  meta: { version: "2.0.0", width: 320, height: 180, fps: 10, background: "#102030" },
  tracks: [{
    clips: [
      { type: "rect", start: 0, duration: 1, transform: { width: 200, height: 100 }, style: { fill: "#ff8800" } },
      { type: "text", start: 0, duration: 1, text: "SDK", style: { fontSize: 40, fill: "#ffffff" },
        animations: [{ type: "fadeIn", duration: 0.3 }] },
    ],
  }],
};

let transport;
if (mode === "stdio") {
  transport = new StdioClientTransport({
    command: target,
    args: ["mcp", "--stdio", "--data", extra, "--allow-private-urls"],
    env: { ...process.env, FRAMECAST_LOG_LEVEL: "warn" },
    stderr: "inherit",
  });
} else if (mode === "http") {
  transport = new StreamableHTTPClientTransport(new URL("/mcp", target), {
    requestInit: { headers: { Authorization: `Bearer ${extra}` } },
  });
} else {
  console.error("usage: node conformance.mjs stdio <binary> <data> | http <base URL> <key>");
  process.exit(2);
}

const client = new Client({ name: "framecast-conformance", version: "1.0.0" });
await client.connect(transport);
check(client.getServerVersion()?.name === "framecast", "initialize", client.getServerVersion());

// tools/list: the SDK rejects the whole list when one schema is malformed.
const { tools } = await client.listTools();
const names = tools.map((t) => t.name);
for (const want of ["validate_document", "render_frame", "render_frames", "create_video", "render_video", "wait_for_video", "get_video", "get_video_config", "list_video_webhooks", "get_webhook_secret", "get_capabilities", "get_schema"]) {
  check(names.includes(want), `tools/list has ${want}`, names);
}
const size = JSON.stringify({ tools }).length;
console.log(`info tools/list: ${tools.length} tools, ${size} bytes`);
// The budget a tool is the Go test's maxToolBytes (mcp/toolslist_test.go), passed in by conformance_test.go.
const maxToolBytes = Number(process.env.FRAMECAST_MAX_TOOL_BYTES || 2800);
check(size <= maxToolBytes * tools.length, `tools/list within ${maxToolBytes} bytes a tool`, size);

// validate_document: a bad document is reported with paths, a good one is valid and priced.
const bad = await client.callTool({ name: "validate_document", arguments: { document: { meta: { width: 0 }, tracks: [] } } });
check(!bad.isError && bad.structuredContent.valid === false && bad.structuredContent.errors.length > 0, "validate_document reports a bad document", bad.structuredContent);
const good = await client.callTool({ name: "validate_document", arguments: { document: doc } });
check(!good.isError && good.structuredContent.valid === true && good.structuredContent.duration === 1, "validate_document accepts a good one", good);

// get_schema: one clip type's fields.
const textSchema = await client.callTool({ name: "get_schema", arguments: { clipType: "text" } });
check(!textSchema.isError && textSchema.structuredContent.schema.properties.text, "get_schema text", textSchema.structuredContent);

// render_frame: a PNG of the document's size.
const frame = await client.callTool({ name: "render_frame", arguments: { document: doc, time: 0.5 } });
const image = frame.content.find((c) => c.type === "image");
check(!frame.isError && image && image.mimeType === "image/png" && frame.structuredContent.width === 320, "render_frame returns a 320 px PNG", frame.structuredContent);
check(Buffer.from(image.data, "base64").subarray(1, 4).toString() === "PNG", "render_frame image is a PNG");

// render_audio_preview: the document has no sound, which the result says (its output schema is checked).
const heard = await client.callTool({ name: "render_audio_preview", arguments: { document: doc } });
check(!heard.isError && heard.structuredContent.hasAudio === false, "render_audio_preview of a silent document", heard.structuredContent);

// create_video, render_video, wait_for_video with progress notifications.
const created = await client.callTool({ name: "create_video", arguments: { document: doc, title: "conformance" } });
check(!created.isError && created.structuredContent.taskId, "create_video", created);
const taskId = created.structuredContent.taskId;
const rendering = await client.callTool({ name: "render_video", arguments: { taskId } });
check(!rendering.isError, "render_video", rendering);
const progress = [];
const done = await client.callTool({ name: "wait_for_video", arguments: { taskId, timeout_seconds: 300 } }, undefined, {
  onprogress: (p) => progress.push(p.progress),
  timeout: 320000,
});
check(!done.isError && done.structuredContent.status === "completed" && done.structuredContent.videoUrl, "wait_for_video completes with a videoUrl", done.structuredContent);
// (The last notification, 100, may arrive after the result, when the SDK no longer listens for it.)
check(progress.length > 0 && progress.every((p, i) => i === 0 || p > progress[i - 1]), "wait_for_video sent rising progress", progress);
const got = await client.callTool({ name: "get_video", arguments: { taskId } });
check(!got.isError && got.structuredContent.status === "completed", "get_video", got.structuredContent);
// The SDK checks each structured result against the tool's output schema.
const config = await client.callTool({ name: "get_video_config", arguments: { taskId } });
check(!config.isError && config.structuredContent.meta && Array.isArray(config.structuredContent.tracks), "get_video_config", config);
const hooks = await client.callTool({ name: "list_video_webhooks", arguments: { taskId } });
check(!hooks.isError && hooks.structuredContent.taskId === taskId && Array.isArray(hooks.structuredContent.attempts), "list_video_webhooks", hooks);
const secret = await client.callTool({ name: "get_webhook_secret", arguments: {} });
check(!secret.isError && secret.structuredContent.secret.startsWith("whsec_"), "get_webhook_secret", secret);

// Arguments are checked against the input schema before the tool runs.
await expectInvalidParams("get_video without taskId", () => client.callTool({ name: "get_video", arguments: {} }), "taskId");
await expectInvalidParams("get_video with a number for taskId", () => client.callTool({ name: "get_video", arguments: { taskId: 42 } }), "taskId");

// Resources and the prompt.
const { resources } = await client.listResources();
const uris = resources.map((r) => r.uri);
for (const want of ["framecast://schema/document", "framecast://docs/document.md", "framecast://capabilities"]) {
  check(uris.includes(want), `resources/list has ${want}`, uris);
}
const schema = await client.readResource({ uri: "framecast://schema/document" });
check(JSON.parse(schema.contents[0].text).$defs.TextClip, "read framecast://schema/document");
const guide = await client.readResource({ uri: "framecast://docs/document.md" });
check(guide.contents[0].text.length > 1000, "read the guide");
const prompt = await client.getPrompt({ name: "make_video", arguments: { brief: "a ten second promo for a coffee shop" } });
check(prompt.messages[0].content.text.includes("coffee shop"), "prompts/get make_video");
await expectInvalidParams("prompts/get make_video without brief", () => client.getPrompt({ name: "make_video", arguments: {} }), "brief");

await client.close();
console.log("PASS");
process.exit(0);
