// Validates Kubernetes manifests against the Kubernetes API schemas that the npm package
// kubernetes-models ships (compiled JSON-schema validators, no network), and the Prometheus
// Operator's CRDs from @kubernetes-models/prometheus-operator.
//
// Usage: node validate-k8s.mjs KUSTOMIZATION_DIR [MANIFEST.yaml ...]
//
// KUSTOMIZATION_DIR is rendered the way `kubectl kustomize` renders this project's kustomization
// (resources, configMapGenerator, images); any other kustomization field is reported as unsupported
// rather than silently skipped. Every document then has to pass its schema, and every field has to
// be one the schema knows: kubernetes-models' validators ignore unknown fields (as the API server's
// non-strict decoding does), so each document is handed to its validator wrapped in proxies that
// record which fields the validator looked at; a field it never looked at, in an object whose
// fields it checks one by one, is unknown (a typo, or a field of another API version). Objects the
// schema treats as maps (labels, ConfigMap data) are enumerated by the validator and so are known.
//
// Exit status: 0 when every document is valid, 1 otherwise (one line per problem).
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parse, parseAllDocuments } from "yaml";

const problems = [];

function readYamlDocuments(file) {
  return parseAllDocuments(readFileSync(file, "utf8")).map((doc) => {
    if (doc.errors.length > 0) {
      throw new Error(`${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
    }
    return doc.toJS();
  }).filter((doc) => doc !== null);
}

const KUSTOMIZATION_FIELDS = new Set(["apiVersion", "kind", "resources", "configMapGenerator", "images"]);

function render(dir) {
  const file = join(dir, "kustomization.yaml");
  const k = parse(readFileSync(file, "utf8"));
  for (const key of Object.keys(k)) {
    if (!KUSTOMIZATION_FIELDS.has(key)) {
      problems.push(`${file}: field '${key}' is not supported by this renderer (extend validate-k8s.mjs)`);
    }
  }
  const docs = [];
  for (const resource of k.resources ?? []) {
    for (const doc of readYamlDocuments(join(dir, resource))) {
      docs.push({ source: resource, doc });
    }
  }
  for (const generator of k.configMapGenerator ?? []) {
    const data = {};
    for (const f of generator.files ?? []) {
      data[basename(f)] = readFileSync(join(dir, f), "utf8");
    }
    docs.push({
      source: `configMapGenerator ${generator.name}`,
      doc: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: generator.name }, data },
    });
  }
  for (const image of k.images ?? []) {
    for (const { doc } of docs) {
      for (const c of containers(doc)) {
        const [name, tag] = splitImage(c.image);
        if (name === image.name) {
          c.image = (image.newName ?? name) + (image.digest ? `@${image.digest}` : `:${image.newTag ?? tag}`);
        }
      }
    }
  }
  return docs;
}

function containers(doc) {
  const spec = doc?.spec?.template?.spec;
  return spec ? [...(spec.containers ?? []), ...(spec.initContainers ?? [])] : [];
}

function splitImage(image) {
  const at = image.indexOf("@");
  const ref = at >= 0 ? image.slice(0, at) : image;
  const colon = ref.lastIndexOf(":");
  return colon > ref.lastIndexOf("/") ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, "latest"];
}

async function modelFor(apiVersion, kind) {
  const path = apiVersion.startsWith("monitoring.coreos.com/")
    ? `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`
    : `kubernetes-models/${apiVersion}/${kind}`;
  try {
    return (await import(path))[kind];
  } catch {
    return undefined;
  }
}

// wraps value (recursively) so that reads, membership tests and enumerations are recorded
function tracked(value, path, seen) {
  if (value === null || typeof value !== "object") {
    return value;
  }
  const record = { path, target: value, read: new Set(), enumerated: false };
  seen.push(record);
  const children = new Map();
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === "string") {
        record.read.add(key);
        if (Object.hasOwn(target, key)) {
          if (!children.has(key)) {
            children.set(key, tracked(target[key], Array.isArray(target) ? `${path}[${key}]` : `${path}.${key}`, seen));
          }
          return children.get(key);
        }
      }
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      if (typeof key === "string") record.read.add(key);
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      if (typeof key === "string") record.read.add(key);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    ownKeys(target) {
      record.enumerated = true;
      return Reflect.ownKeys(target);
    },
  });
}

async function validate({ source, doc }) {
  const where = `${source}: ${doc?.kind ?? "?"} ${doc?.metadata?.name ?? "?"}`;
  if (typeof doc?.apiVersion !== "string" || typeof doc?.kind !== "string") {
    problems.push(`${where}: apiVersion and kind are required`);
    return;
  }
  const Model = await modelFor(doc.apiVersion, doc.kind);
  if (!Model) {
    problems.push(`${where}: no schema for ${doc.apiVersion} ${doc.kind}`);
    return;
  }
  const model = new Model(structuredClone(doc));
  const seen = [];
  const proxy = tracked(model, "", seen);
  try {
    model.validate.call(proxy);
  } catch (e) {
    for (const line of String(e.message).split("\n")) {
      problems.push(`${where}: ${line}`);
    }
    return;
  }
  for (const r of seen) {
    if (Array.isArray(r.target) || r.enumerated) {
      continue;
    }
    for (const key of Object.keys(r.target)) {
      if (!r.read.has(key)) {
        problems.push(`${where}: unknown field ${r.path ? `${r.path}.` : ""}${key}`.replace(": unknown field .", ": unknown field "));
      }
    }
  }
}

const [dir, ...manifests] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node validate-k8s.mjs KUSTOMIZATION_DIR [MANIFEST.yaml ...]");
  process.exit(2);
}
const docs = render(dir);
for (const m of manifests) {
  for (const doc of readYamlDocuments(m)) {
    docs.push({ source: m, doc });
  }
}
for (const d of docs) {
  await validate(d);
}
if (problems.length > 0) {
  for (const p of problems) console.error(`k8s-validate: ${p}`);
  process.exit(1);
}
console.log(`k8s-validate: ${docs.length} documents valid (${docs.map((d) => d.doc.kind).join(", ")})`);
