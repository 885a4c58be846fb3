// Offline checks of deploy/: every Kubernetes object against the bundled schemas (kubernetes-models, ≈ Kubernetes 1.34)
// and against the policies the operator guide promises; the Dockerfiles with dockerfilelint and the same promises; the
// compose file's shape. `--self-test` first proves each policy check rejects a manifest that breaks it.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import yaml from "js-yaml";

const here = dirname(fileURLToPath(import.meta.url));
const deploy = join(here, "..");
// Created by the operator (deploy/README.md, "Secrets and keys"); never in the repository.
const external = {
  Secret: new Set(["litestream-storage", "recommendation-service-entra", "portal-entra", "portal-tls", "release-signing-key"]),
  ConfigMap: new Set(["release-trust"]),
};

function loadKustomization(dir) {
  const kustomization = yaml.load(readFileSync(join(dir, "kustomization.yaml"), "utf8"));
  return kustomization.resources.flatMap((file) =>
    yaml.loadAll(readFileSync(join(dir, file), "utf8")).filter(Boolean).map((object) => ({ file, object })));
}

async function schemaProblems({ file, object }) {
  const where = `${file}: ${object.kind}/${object.metadata?.name}`;
  let model;
  try {
    model = (await import(`kubernetes-models/${object.apiVersion}/${object.kind}`))[object.kind];
  } catch {
    return [`${where}: unknown apiVersion/kind ${object.apiVersion} ${object.kind}`];
  }
  try {
    new model(object).validate();
    return [];
  } catch (error) {
    return [`${where}: ${error.message}`];
  }
}

const podSpecOf = (object) => object.spec?.template?.spec;
const labelsMatch = (selector, labels) =>
  Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value) && Object.keys(selector ?? {}).length > 0;

function containerProblems(where, container, { app }) {
  const problems = [];
  const name = `${where} container ${container.name}`;
  for (const kind of ["requests", "limits"]) {
    for (const resource of ["cpu", "memory"]) {
      if (!container.resources?.[kind]?.[resource]) problems.push(`${name}: no ${kind}.${resource}`);
    }
  }
  const security = container.securityContext ?? {};
  if (security.readOnlyRootFilesystem !== true) problems.push(`${name}: root file system is not read-only`);
  if (security.allowPrivilegeEscalation !== false) problems.push(`${name}: privilege escalation is not disabled`);
  if (!(security.capabilities?.drop ?? []).includes("ALL")) problems.push(`${name}: capabilities are not all dropped`);
  if (app) {
    for (const probe of ["readinessProbe", "livenessProbe"]) {
      if (!container[probe]) problems.push(`${name}: no ${probe}`);
    }
  }
  return problems;
}

export function policyProblems(objects) {
  const problems = [];
  const named = (kind) => new Map(objects.filter((o) => o.object.kind === kind).map((o) => [o.object.metadata.name, o.object]));
  const workloads = objects.filter((o) => podSpecOf(o.object));
  const configMaps = named("ConfigMap");
  const secrets = named("Secret");
  for (const { object } of objects) {
    if (object.kind === "Secret" && (object.data || object.stringData)) {
      problems.push(`Secret/${object.metadata.name}: secret values in the repository`);
    }
  }
  for (const { file, object } of workloads) {
    const where = `${file}: ${object.kind}/${object.metadata.name}`;
    const pod = podSpecOf(object);
    if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${where}: pod does not require a non-root user`);
    if (pod.automountServiceAccountToken !== false) problems.push(`${where}: mounts a service-account token it does not use`);
    for (const container of pod.containers ?? []) problems.push(...containerProblems(where, container, { app: true }));
    for (const container of pod.initContainers ?? []) problems.push(...containerProblems(where, container, { app: false }));
    const references = [
      ...(pod.volumes ?? []).flatMap((v) => [v.configMap && ["ConfigMap", v.configMap.name], v.secret && ["Secret", v.secret.secretName]]),
      ...[...(pod.containers ?? []), ...(pod.initContainers ?? [])].flatMap((c) => [
        ...(c.envFrom ?? []).flatMap((e) => [e.configMapRef && ["ConfigMap", e.configMapRef.name], e.secretRef && ["Secret", e.secretRef.name]]),
        ...(c.env ?? []).flatMap((e) => [
          e.valueFrom?.configMapKeyRef && ["ConfigMap", e.valueFrom.configMapKeyRef.name],
          e.valueFrom?.secretKeyRef && ["Secret", e.valueFrom.secretKeyRef.name]]),
      ]),
    ].filter(Boolean);
    for (const [kind, name] of references) {
      const known = kind === "ConfigMap" ? configMaps.has(name) : secrets.has(name);
      if (!known && !external[kind].has(name)) problems.push(`${where}: refers to ${kind}/${name}, which is neither here nor documented as created by the operator`);
    }
  }
  const service = named("StatefulSet").get("recommendation-service");
  if (!service) problems.push("the recommendation service is not a StatefulSet");
  else {
    if ((service.spec.replicas ?? 1) < 2) problems.push("StatefulSet/recommendation-service: fewer than 2 replicas");
    if (!(service.spec.volumeClaimTemplates ?? []).length) problems.push("StatefulSet/recommendation-service: replicas have no volume of their own");
    const headless = named("Service").get(service.spec.serviceName);
    if (headless?.spec?.clusterIP !== "None") problems.push("StatefulSet/recommendation-service: its serviceName is not a headless Service");
  }
  for (const [name, object] of named("Service")) {
    if (!workloads.some((w) => labelsMatch(object.spec.selector, w.object.spec.template.metadata.labels))) {
      problems.push(`Service/${name}: selects no workload`);
    }
  }
  for (const kind of ["NetworkPolicy", "PodDisruptionBudget"]) {
    for (const [name, object] of named(kind)) {
      const selector = kind === "NetworkPolicy" ? object.spec.podSelector.matchLabels : object.spec.selector.matchLabels;
      if (!workloads.some((w) => labelsMatch(selector, w.object.spec.template.metadata.labels))) problems.push(`${kind}/${name}: selects no workload`);
    }
  }
  for (const [name, object] of named("HorizontalPodAutoscaler")) {
    const target = object.spec.scaleTargetRef;
    if (!workloads.some((w) => w.object.kind === target.kind && w.object.metadata.name === target.name)) {
      problems.push(`HorizontalPodAutoscaler/${name}: scales ${target.kind}/${target.name}, which is not here`);
    }
  }
  for (const workload of ["recommendation-service", "portal"]) {
    if (!named("NetworkPolicy").has(workload)) problems.push(`${workload}: no NetworkPolicy`);
  }
  return problems;
}

export function dockerfileProblems(name, text) {
  const problems = [];
  const lines = text.split("\n").map((l) => l.trim());
  if (lines.filter((l) => /^FROM\s/i.test(l)).length < 2) problems.push(`${name}: not a multi-stage build`);
  const finalStage = text.slice(text.search(/^FROM[^\n]*AS runtime/im));
  if (!/^USER\s+(?!root|0\b)\S+/im.test(finalStage)) problems.push(`${name}: the runtime stage does not switch to a non-root USER`);
  if (!/^HEALTHCHECK\s/im.test(finalStage)) problems.push(`${name}: no HEALTHCHECK`);
  if (!/^VOLUME\s/im.test(finalStage)) problems.push(`${name}: data is not declared as a VOLUME`);
  for (const from of lines.filter((l) => /^FROM\s/i.test(l))) {
    const image = from.split(/\s+/)[1];
    if (!/:[^/]+$/.test(image) || /:latest$/.test(image)) problems.push(`${name}: base image ${image} is not pinned to a version tag`);
  }
  if (lines.some((l) => /^ADD\s+https?:/i.test(l))) problems.push(`${name}: ADD of a URL (unverified download)`);
  return problems;
}

// A Dockerfile must copy every project its app references (transitively): its project file before the restore, its
// sources before the publish. The app is the project the Dockerfile publishes.
export function projectClosure(repository, project) {
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path)) return;
    seen.add(path);
    const text = readFileSync(join(repository, path), "utf8");
    for (const [, reference] of text.matchAll(/<ProjectReference Include="([^"]+)"/g)) {
      visit(join(dirname(path), reference).replaceAll("\\", "/"));
    }
  };
  visit(project);
  return [...seen];
}

export function copyProblems(name, text, projects) {
  const problems = [];
  const copies = [...text.matchAll(/^COPY\s+(?!--from)(.+)$/gm)].map((m) => m[1].trim().split(/\s+/).slice(0, -1)).flat();
  const restoreAt = text.search(/^RUN dotnet restore/m);
  const copiedBeforeRestore = [...text.slice(0, restoreAt).matchAll(/^COPY\s+(?!--from)(.+)$/gm)].map((m) => m[1].trim().split(/\s+/).slice(0, -1)).flat();
  for (const project of projects) {
    const folder = dirname(project) + "/";
    if (!copiedBeforeRestore.includes(project)) problems.push(`${name}: ${project} is not copied before the restore`);
    if (!copies.some((source) => source.endsWith("/") && folder.startsWith(source))) problems.push(`${name}: the sources of ${folder} are not copied`);
  }
  return problems;
}

// Every application setting the manifests and compose set (environment variables, "__" for ":") must be one the
// operator guide documents, so a misspelt key cannot silently fall back to a default.
const platformVariables = /^(ASPNETCORE_ENVIRONMENT|POD_NAME|OTEL_[A-Z_]+|Kestrel:Endpoints:[A-Za-z]+:(Url|Protocols|Certificate:(Path|KeyPath|Password))|Logging:LogLevel:.+)$/;

export function documentedSettings(markdown) {
  const keys = new Set();
  for (const [, key] of markdown.matchAll(/`([A-Z][A-Za-z]+(?::[A-Za-z*<>_.-]+)+)`/g)) keys.add(key);
  return keys;
}

export function settingProblems(where, names, documented) {
  const problems = [];
  for (const name of names) {
    const key = name.replaceAll("__", ":").replace(/:\d+(?=:|$)/g, "");
    if (platformVariables.test(key)) continue;
    const known = [...documented].some((doc) => doc === key || doc === `${key}:N` || (doc.endsWith(":*") && key.startsWith(doc.slice(0, -1)))
      || (doc.includes("<") && new RegExp(`^${doc.replace(/[.]/g, "\\.").replace(/<[^>]+>/g, "[^:]+")}$`).test(key)));
    if (!known) problems.push(`${where}: setting ${name} is not documented in the operator guide`);
  }
  return problems;
}

export function manifestSettings(objects, compose) {
  const found = [];
  for (const { file, object } of objects) {
    if (object.kind === "ConfigMap" && object.metadata.name.endsWith("-settings")) found.push([`${file}: ConfigMap/${object.metadata.name}`, Object.keys(object.data ?? {})]);
    for (const container of podSpecOf(object)?.containers ?? []) {
      found.push([`${file}: ${object.kind}/${object.metadata.name} container ${container.name}`, (container.env ?? []).map((e) => e.name)]);
    }
  }
  for (const [name, service] of Object.entries(compose.services ?? {})) found.push([`compose ${name}`, Object.keys(service.environment ?? {})]);
  return found;
}

export function composeProblems(compose) {
  const problems = [];
  for (const [name, service] of Object.entries(compose.services ?? {})) {
    if (!service.healthcheck) problems.push(`compose ${name}: no healthcheck`);
    if (service.read_only !== true) problems.push(`compose ${name}: root file system is not read-only`);
    if (!service.user || /^(root|0)(:|$)/.test(String(service.user))) problems.push(`compose ${name}: no non-root user`);
    if (!(service.security_opt ?? []).includes("no-new-privileges:true")) problems.push(`compose ${name}: privilege escalation is not disabled`);
  }
  return problems;
}

function selfTest(objects, dockerfile, compose, documented) {
  const clone = (value) => structuredClone(value);
  const breakages = [
    ["no resources", (o) => { delete podSpecOf(o.find((x) => x.object.metadata.name === "portal" && x.object.kind === "StatefulSet").object).containers[0].resources; }],
    ["writable root", (o) => { podSpecOf(o.find((x) => x.object.kind === "StatefulSet").object).containers[0].securityContext.readOnlyRootFilesystem = false; }],
    ["root user", (o) => { delete podSpecOf(o.find((x) => x.object.kind === "StatefulSet").object).securityContext.runAsNonRoot; }],
    ["no probe", (o) => { delete podSpecOf(o.find((x) => x.object.kind === "StatefulSet").object).containers[0].readinessProbe; }],
    ["one replica", (o) => { o.find((x) => x.object.metadata.name === "recommendation-service" && x.object.kind === "StatefulSet").object.spec.replicas = 1; }],
    ["unknown secret", (o) => { podSpecOf(o.find((x) => x.object.kind === "StatefulSet").object).containers[0].envFrom.push({ secretRef: { name: "made-up" } }); }],
    ["secret in git", (o) => { o.push({ file: "x", object: { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, stringData: { k: "v" } } }); }],
    ["dangling service", (o) => { o.find((x) => x.object.kind === "Service").object.spec.selector = { app: "none" }; }],
  ];
  const failures = [];
  for (const [label, breakIt] of breakages) {
    const broken = clone(objects);
    breakIt(broken);
    if (policyProblems(broken).length === 0) failures.push(`policy check missed: ${label}`);
  }
  if (dockerfileProblems("self-test", dockerfile.replace(/^USER .*$/m, "")).length === 0) failures.push("Dockerfile check missed: no USER");
  if (dockerfileProblems("self-test", dockerfile.replace(/^HEALTHCHECK[\s\S]*?\]\n/m, "")).length === 0) failures.push("Dockerfile check missed: no HEALTHCHECK");
  const readWrite = clone(compose);
  Object.values(readWrite.services)[0].read_only = false;
  if (composeProblems(readWrite).length === 0) failures.push("compose check missed: writable root");
  if (dockerfileProblems("self-test", dockerfile.replace(/^FROM (\S+):\S+/m, "FROM $1")).length === 0) failures.push("Dockerfile check missed: unpinned base image");
  const app = dockerfile.match(/^RUN dotnet publish\s+(\S+\.csproj)/m)[1];
  const closure = projectClosure(join(deploy, ".."), app);
  if (copyProblems("self-test", dockerfile.replace(/^COPY services\/AlkPlatform.Guidelines\/AlkPlatform.Guidelines.csproj.*$/m, ""), closure).length === 0) failures.push("Dockerfile check missed: a referenced project not copied before the restore");
  if (settingProblems("self-test", ["ReleaseFeed__Adress"], documented).length === 0) failures.push("settings check missed: a misspelt key");
  if (settingProblems("self-test", ["ReleaseFeed__Address", "RecommendationService__Addresses__1"], documented).length !== 0) failures.push("settings check refused documented keys");
  return failures;
}

const objects = loadKustomization(join(deploy, "kubernetes"));
const problems = [];
for (const object of objects) problems.push(...(await schemaProblems(object)));
problems.push(...policyProblems(objects));

const containers = join(deploy, "containers");
const dockerfiles = readdirSync(containers).filter((f) => f.endsWith(".Dockerfile")).map((f) => join(containers, f));
const repository = join(deploy, "..");
for (const file of dockerfiles) {
  const text = readFileSync(file, "utf8");
  problems.push(...dockerfileProblems(file, text));
  const app = text.match(/^RUN dotnet publish\s+(\S+\.csproj)/m)?.[1];
  if (!app) problems.push(`${file}: publishes no project`);
  else problems.push(...copyProblems(file, text, projectClosure(repository, app)));
}
try {
  execFileSync(join(here, "node_modules", ".bin", "dockerfilelint"), dockerfiles, { stdio: "pipe" });
} catch (error) {
  problems.push(`dockerfilelint: ${error.stdout?.toString() ?? error.message}`);
}
const compose = yaml.load(readFileSync(join(deploy, "compose.yaml"), "utf8"));
problems.push(...composeProblems(compose));
const documented = documentedSettings(readdirSync(deploy).filter((f) => f.endsWith(".md")).map((f) => readFileSync(join(deploy, f), "utf8")).join("\n"));
for (const [where, names] of manifestSettings(objects, compose)) problems.push(...settingProblems(where, names, documented));

if (process.argv.includes("--self-test")) {
  problems.push(...selfTest(objects, readFileSync(dockerfiles[0], "utf8"), compose, documented));
}
if (problems.length) {
  console.error(problems.join("\n"));
  console.error(`deploy validation: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`deploy validation: ${objects.length} Kubernetes objects, ${dockerfiles.length} Dockerfiles and compose.yaml pass`);
