//! ESO's fetch pipeline (`GetProviderSecretData`, `externalsecret_controller_secret.go`) over every
//! ExternalSecret of a run, with the I/O planned for the whole run at once.
//!
//! Expected flow:
//! 1. **Bind** each `data[]`/`dataFrom[]` entry to a store (`sourceRef.storeRef` or
//!    `spec.secretStoreRef`), enforcing ESO's store rules: same-namespace SecretStores,
//!    ClusterSecretStore `conditions`, controller class, the flood gate.
//! 2. **Plan**: collect the distinct reads (`Read`) and finds of every store. A secret that ten
//!    references need is read once.
//! 3. **Fetch**: one task per store hands all its reads to the backend at once (so it can batch),
//!    requests are bounded by the shared [`provider::Context`], and the whole phase has one
//!    deadline.
//! 4. **Evaluate** each ExternalSecret in ESO's order on the cached payloads: dataFrom entries in
//!    order (rewrite → convert if no rewrite → validate keys → decode → null bytes), then data
//!    entries (decode → null bytes); later keys overwrite earlier ones; `NoSecretErr` skips an
//!    entry unless `deletionPolicy` is `Retain`.
//!
//! Guarantees: no value is ever put in a diagnostic; every entry gets an outcome (so `check`
//! can print one row per reference), and every failure is reported, not only the first.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use crate::error::{Class, Diagnostic};
use crate::esutils;
use crate::gocompat;
use crate::manifest::model::{
    DataFrom, DeletionPolicy, Find, NullBytePolicy, RemoteRef, StoreKind, StoreRef,
};
use crate::manifest::{ExternalSecret, Located, Manifests, Store, selector};
use crate::provider::{self, Backend, Client, Payload, Read};
use crate::secret::DataMap;

/// How a run talks to backends.
#[derive(Debug, Clone)]
pub struct Options {
    pub concurrency: usize,
    pub timeout: Duration,
    /// ESO's `--controller-class`: stores naming another class are not ours.
    pub controller_class: String,
    /// Check wiring only; contact no backend.
    pub offline: bool,
    pub retry: provider::RetryPolicy,
    /// Where the cluster is, for stores that need it.
    pub cluster: crate::cluster::Options,
}

/// The result of one `data[]` or `dataFrom[]` entry.
#[derive(Debug)]
pub struct Entry {
    /// `spec.data[0]` or `spec.dataFrom[2]`.
    pub field: String,
    /// The store it read from, e.g. `SecretStore prod/aws`.
    pub store: Option<String>,
    /// What it asked for, e.g. `key=db/main property=password`.
    pub reference: String,
    pub result: EntryResult,
}

#[derive(Debug)]
pub enum EntryResult {
    /// The keys and values this entry contributed (before later entries overwrite them).
    Ok(DataMap),
    /// `NoSecretErr` under `deletionPolicy` Delete or Merge: ESO skips the entry.
    Skipped,
    /// `--offline`: wiring checked, nothing fetched.
    NotChecked,
    Failed(Diagnostic),
}

/// Everything resolved for one ExternalSecret.
#[derive(Debug)]
pub struct Resolved {
    pub entries: Vec<Entry>,
}

impl Resolved {
    /// ESO's `providerData`, or every diagnostic if any entry failed.
    pub fn data(&self) -> Result<DataMap, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut data = DataMap::new();
        for e in &self.entries {
            match &e.result {
                EntryResult::Ok(m) => data.extend(m.iter().map(|(k, v)| (k.clone(), v.clone()))),
                EntryResult::Failed(d) => errors.push(d.clone()),
                EntryResult::Skipped | EntryResult::NotChecked => {}
            }
        }
        if errors.is_empty() {
            Ok(data)
        } else {
            Err(errors)
        }
    }
}

/// Store clients of a run. A client serves one store, or one (store, namespace) when the
/// store's credentials depend on the ExternalSecret's namespace; plans refer to its slot.
#[derive(Default)]
struct Slots {
    index: HashMap<(usize, Option<String>), usize>,
    /// Slot → index in `Manifests::stores`.
    stores: Vec<usize>,
    clients: Vec<Result<Arc<Client>, provider::Error>>,
}

impl Slots {
    fn slot(
        &mut self,
        store: usize,
        scope: Option<String>,
        connect: impl FnOnce() -> Result<Arc<Client>, provider::Error>,
    ) -> usize {
        let next = self.clients.len();
        let slot = *self.index.entry((store, scope)).or_insert(next);
        if slot == next {
            self.stores.push(store);
            self.clients.push(connect());
        }
        slot
    }

    fn client(&self, slot: usize) -> Option<&Arc<Client>> {
        self.clients[slot].as_ref().ok()
    }
}

/// Where an entry reads from and what it asks (`store` is a client slot).
#[derive(Debug, Clone)]
enum Plan<'a> {
    Data {
        i: usize,
        store: usize,
        r: &'a RemoteRef,
        secret_key: &'a str,
    },
    Extract {
        i: usize,
        store: usize,
        r: &'a RemoteRef,
        df: &'a DataFrom,
    },
    Find {
        i: usize,
        store: usize,
        find: &'a Find,
        df: &'a DataFrom,
    },
    /// `dataFrom[]` with only `sourceRef.storeRef`: valid, contributes nothing.
    Nothing { i: usize },
}

/// Resolves every ExternalSecret of `m`, in the order of `m.external_secrets`.
pub async fn resolve(m: &Manifests, opts: &Options) -> Vec<Resolved> {
    resolve_with(m, opts, |store, namespace| {
        let env = provider::Env {
            sources: &m.sources,
            namespace,
        };
        Client::new(store, &env).map(Arc::new)
    })
    .await
}

/// [`resolve`] with the clients made by `connect(store, ExternalSecret namespace)`, one call
/// per store used (per namespace for stores whose client depends on it).
pub async fn resolve_with(
    m: &Manifests,
    opts: &Options,
    connect: impl Fn(&Store, &str) -> Result<Arc<Client>, provider::Error>,
) -> Vec<Resolved> {
    let ctx = provider::Context::new(opts.concurrency, opts.retry)
        .with_cluster(crate::cluster::Cluster::new(opts.cluster.clone()));
    let mut clients = Slots::default();

    // 1. Bind.
    let mut plans: Vec<Vec<Result<Plan<'_>, Entry>>> = Vec::with_capacity(m.external_secrets.len());
    for es in &m.external_secrets {
        let mut es_plans = Vec::new();
        for (i, df) in es.spec.data_from.iter().enumerate() {
            es_plans.push(bind_data_from(m, es, i, df, opts, &mut clients, &connect));
        }
        for (i, d) in es.spec.data.iter().enumerate() {
            let field = format!("spec.data[{i}]");
            let store_ref = d.source_ref.as_ref().and_then(|s| s.store_ref.as_ref());
            let reference = reference_text(&d.remote_ref);
            es_plans.push(
                bind(
                    m,
                    es,
                    store_ref,
                    &field,
                    &reference,
                    opts,
                    &mut clients,
                    &connect,
                )
                .map(|store| Plan::Data {
                    i,
                    store,
                    r: &d.remote_ref,
                    secret_key: &d.secret_key,
                }),
            );
        }
        plans.push(es_plans);
    }

    // 2. Plan the I/O.
    let mut reads: BTreeMap<usize, BTreeSet<Read>> = BTreeMap::new();
    let mut finds: BTreeMap<usize, Vec<Find>> = BTreeMap::new();
    for plan in plans.iter().flatten().flatten() {
        match plan {
            Plan::Data { store, r, .. } | Plan::Extract { store, r, .. } => {
                reads.entry(*store).or_default().insert(Read::of(r));
            }
            Plan::Find { store, find, .. } => {
                let list = finds.entry(*store).or_default();
                if !list.contains(find) {
                    list.push((*find).clone());
                }
            }
            Plan::Nothing { .. } => {}
        }
    }

    // 3. Fetch.
    let store_ids: Vec<String> = clients.stores.iter().map(|&s| m.stores[s].id()).collect();
    let fetched = if opts.offline {
        Fetched::default()
    } else {
        fetch(&store_ids, &clients, reads, finds, &ctx, opts.timeout).await
    };
    for (slot, id) in store_ids.iter().enumerate() {
        if let Some(c) = clients.client(slot) {
            tracing::debug!(store = %id, requests = c.requests(), "backend requests");
        }
    }

    // 4. Evaluate.
    m.external_secrets
        .iter()
        .zip(plans)
        .map(|(es, es_plans)| {
            let entries = es_plans
                .into_iter()
                .map(|p| match p {
                    Err(entry) => entry,
                    Ok(plan) => evaluate(m, es, &plan, &clients, &fetched, opts.offline),
                })
                .collect::<Vec<_>>();
            Resolved { entries }
        })
        .collect()
}

fn bind_data_from<'a>(
    m: &Manifests,
    es: &'a ExternalSecret,
    i: usize,
    df: &'a DataFrom,
    opts: &Options,
    clients: &mut Slots,
    connect: &impl Fn(&Store, &str) -> Result<Arc<Client>, provider::Error>,
) -> Result<Plan<'a>, Entry> {
    let source = df.source_ref.as_ref();
    if let Some(g) = source.and_then(|s| s.generator_ref.as_ref()) {
        let field = format!("spec.dataFrom[{i}].sourceRef.generatorRef");
        return Err(Entry {
            field: format!("spec.dataFrom[{i}]"),
            store: None,
            reference: format!("generator {:?} {}", g.kind, g.name),
            result: EntryResult::Failed(es.error(
                Diagnostic::input(format!(
                    "generators ({:?} {}) are not supported by eso-render yet",
                    g.kind, g.name
                )),
                &field,
            )),
        });
    }
    let field = format!("spec.dataFrom[{i}]");
    let store_ref = source.and_then(|s| s.store_ref.as_ref());
    // ESO never fetches a client for an entry with neither find nor extract.
    let reference = if let Some(find) = &df.find {
        find_text(find)
    } else if let Some(r) = &df.extract {
        format!("extract {}", reference_text(r))
    } else {
        return Ok(Plan::Nothing { i });
    };
    let store = bind(m, es, store_ref, &field, &reference, opts, clients, connect)?;
    Ok(match (&df.find, &df.extract) {
        (Some(find), _) => Plan::Find { i, store, find, df },
        (None, Some(r)) => Plan::Extract { i, store, r, df },
        (None, None) => Plan::Nothing { i },
    })
}

/// Finds the store an entry (`spec.data[i]` or `spec.dataFrom[i]`) uses and checks ESO's rules
/// for using it.
#[expect(
    clippy::too_many_arguments,
    reason = "one call site each; a struct adds nothing"
)]
fn bind(
    m: &Manifests,
    es: &ExternalSecret,
    entry_ref: Option<&StoreRef>,
    entry_field: &str,
    reference: &str,
    opts: &Options,
    clients: &mut Slots,
    connect: &impl Fn(&Store, &str) -> Result<Arc<Client>, provider::Error>,
) -> Result<usize, Entry> {
    let (store_ref, ref_field) = match entry_ref {
        Some(r) => (r, format!("{entry_field}.sourceRef.storeRef")),
        None => (&es.spec.secret_store_ref, "spec.secretStoreRef".to_string()),
    };
    let kind = store_ref.kind.unwrap_or(StoreKind::SecretStore);
    let fail = |d: Diagnostic, at: &str| Entry {
        field: entry_field.to_string(),
        store: Some(crate::manifest::store_id(
            kind,
            (kind == StoreKind::SecretStore).then_some(es.namespace.as_str()),
            &store_ref.name,
        )),
        reference: reference.to_string(),
        result: EntryResult::Failed(es.error(d, at)),
    };

    let found = m.stores.iter().position(|s| {
        s.kind == kind
            && s.name == store_ref.name
            && (kind == StoreKind::ClusterSecretStore
                || s.namespace.as_deref() == Some(&es.namespace))
    });
    let Some(idx) = found else {
        return Err(fail(
            store_not_found(m, es, store_ref, kind),
            &format!("{ref_field}.name"),
        ));
    };
    let store = &m.stores[idx];

    if !store.spec.controller.is_empty() && store.spec.controller != opts.controller_class {
        return Err(fail(
            Diagnostic::input("can not reference unmanaged store").hint(format!(
                "{} has spec.controller {:?}, this run serves controller class {:?} \
                 (--controller-class)",
                store.id(),
                store.spec.controller,
                opts.controller_class
            )),
            &ref_field,
        ));
    }
    if kind == StoreKind::ClusterSecretStore && !namespace_allowed(m, store, &es.namespace) {
        return Err(fail(
            Diagnostic::input(format!(
                "using cluster store {:?} is not allowed from namespace {:?}: denied by \
                 spec.condition",
                store.name, es.namespace
            ))
            .cause(format!(
                "{} conditions are at {}",
                store.id(),
                store.origin("spec.conditions")
            )),
            &ref_field,
        ));
    }
    let scope = Client::scope(store, &es.namespace);
    let slot = clients.slot(idx, scope, || connect(store, &es.namespace));
    match &clients.clients[slot] {
        Err(provider::Error::Config { field, message }) => Err(fail(
            Diagnostic::input(message.clone()).cause(format!(
                "{} sets it at {} ({field})",
                store.id(),
                store.origin(field)
            )),
            &ref_field,
        )),
        Err(e) => Err(fail(
            Diagnostic::input(e.to_string()).cause(format!(
                "{} is defined at {}",
                store.id(),
                store.origin("spec.provider")
            )),
            &ref_field,
        )),
        Ok(c) if !c.is_ready() => Err(fail(
            Diagnostic::resolve(format!("{} {:?} is not ready", kind.as_str(), store.name))
                .cause(format!("{} fails its own validation", store.id())),
            &ref_field,
        )),
        Ok(_) => Ok(slot),
    }
}

fn store_not_found(
    m: &Manifests,
    es: &ExternalSecret,
    r: &StoreRef,
    kind: StoreKind,
) -> Diagnostic {
    let mut d = Diagnostic::input(format!(
        "could not get {} {:?}: not found in the input",
        kind.as_str(),
        r.name
    ));
    let same_name: Vec<&Store> = m.stores.iter().filter(|s| s.name == r.name).collect();
    if let Some(s) = same_name.iter().find(|s| s.kind != kind) {
        d = d.hint(format!(
            "{} exists; set `kind: {}` in the store reference",
            s.id(),
            s.kind.as_str()
        ));
    } else if let Some(s) = same_name.first() {
        d = d.hint(format!(
            "{} exists in another namespace; a SecretStore serves only ExternalSecrets of its \
             own namespace ({}): use a ClusterSecretStore or move one of them",
            s.id(),
            es.namespace
        ));
    } else if r.name.is_empty() {
        d = d.hint("set spec.secretStoreRef.name");
    } else {
        let names = m
            .stores
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>();
        if let Some(s) = crate::manifest::suggest(&r.name, names.into_iter()) {
            d = d.hint(format!("did you mean {s:?}?"));
        }
    }
    d
}

/// ESO `shouldProcessSecret`: no conditions ⇒ every namespace; otherwise any condition whose
/// selector, names or (unanchored) regexes match. Offline, a namespace's labels are
/// `kubernetes.io/metadata.name=<ns>` plus those of a `Namespace` object in the input.
fn namespace_allowed(m: &Manifests, store: &Store, ns: &str) -> bool {
    if store.spec.conditions.is_empty() {
        return true;
    }
    let mut labels = m.namespaces.get(ns).cloned().unwrap_or_default();
    labels.insert("kubernetes.io/metadata.name".into(), ns.into());
    store.spec.conditions.iter().any(|c| {
        c.namespace_selector
            .as_ref()
            .is_some_and(|sel| selector::matches(sel, &labels))
            || c.namespaces.iter().any(|n| n == ns)
            || c.namespace_regexes.iter().any(|re| {
                // Regexes were compiled once by validation; a failure here cannot happen.
                gocompat::regexp::compile(re).is_ok_and(|re| re.is_match(ns))
            })
    })
}

/// Results of the fetch phase.
#[derive(Default)]
struct Fetched {
    reads: HashMap<(usize, Read), Result<Arc<Payload>, provider::Error>>,
    finds: HashMap<(usize, Find), Result<DataMap, provider::Error>>,
    /// Set when the deadline passed; the message for entries still waiting.
    timed_out: Option<String>,
}

async fn fetch(
    store_ids: &[String],
    clients: &Slots,
    reads: BTreeMap<usize, BTreeSet<Read>>,
    finds: BTreeMap<usize, Vec<Find>>,
    ctx: &provider::Context,
    timeout: Duration,
) -> Fetched {
    type StoreResult = (
        usize,
        Vec<(Read, Result<Arc<Payload>, provider::Error>)>,
        Vec<(Find, Result<DataMap, provider::Error>)>,
    );
    let mut tasks: tokio::task::JoinSet<StoreResult> = tokio::task::JoinSet::new();
    let stores: BTreeSet<usize> = reads.keys().chain(finds.keys()).copied().collect();
    let mut reads = reads;
    let mut finds = finds;
    for idx in stores {
        let Some(client) = clients.client(idx).cloned() else {
            continue;
        };
        let store_reads: Vec<Read> = reads.remove(&idx).unwrap_or_default().into_iter().collect();
        let store_finds = finds.remove(&idx).unwrap_or_default();
        let ctx = ctx.clone();
        tracing::debug!(store = %store_ids[idx], reads = store_reads.len(), finds = store_finds.len(), "fetching");
        tasks.spawn(async move {
            let read_results = client.read_many(&ctx, store_reads).await;
            let mut find_results = Vec::with_capacity(store_finds.len());
            for f in store_finds {
                let r = client.find(&ctx, &f).await;
                find_results.push((f, r));
            }
            (idx, read_results, find_results)
        });
    }
    let mut out = Fetched::default();
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        match tokio::time::timeout_at(deadline, tasks.join_next()).await {
            Ok(None) => break,
            Ok(Some(Ok((idx, rs, fs)))) => {
                out.reads.extend(rs.into_iter().map(|(r, v)| ((idx, r), v)));
                out.finds.extend(fs.into_iter().map(|(f, v)| ((idx, f), v)));
            }
            Ok(Some(Err(_))) => {
                // A panicking backend task: its reads stay missing from the cache and fail
                // below. The panic payload is not logged: it could quote data.
                tracing::error!("a backend task panicked");
            }
            Err(_) => {
                tasks.abort_all();
                out.timed_out = Some(format!(
                    "timed out after {} waiting for backends",
                    gocompat::duration::format(timeout)
                ));
                break;
            }
        }
    }
    out
}

fn reference_text(r: &RemoteRef) -> String {
    let mut s = format!("key={}", r.key);
    if let Some(p) = r.property.as_deref().filter(|p| !p.is_empty()) {
        s.push_str(&format!(" property={p}"));
    }
    if let Some(v) = r.version.as_deref().filter(|v| !v.is_empty()) {
        s.push_str(&format!(" version={v}"));
    }
    if r.metadata_policy == Some(crate::manifest::model::MetadataPolicy::Fetch) {
        s.push_str(" metadataPolicy=Fetch");
    }
    s
}

fn find_text(f: &Find) -> String {
    let mut parts = Vec::new();
    if let Some(n) = &f.name {
        parts.push(format!("name=~{:?}", n.regexp));
    }
    if let Some(p) = &f.path {
        parts.push(format!("path={p}"));
    }
    for (k, v) in &f.tags {
        parts.push(format!("tag:{k}={v}"));
    }
    format!("find {}", parts.join(" "))
}

fn evaluate(
    m: &Manifests,
    es: &ExternalSecret,
    plan: &Plan<'_>,
    clients: &Slots,
    fetched: &Fetched,
    offline: bool,
) -> Entry {
    let (field, store, reference) = match plan {
        Plan::Data { i, store, r, .. } => {
            (format!("spec.data[{i}]"), Some(*store), reference_text(r))
        }
        Plan::Extract { i, store, r, .. } => (
            format!("spec.dataFrom[{i}]"),
            Some(*store),
            format!("extract {}", reference_text(r)),
        ),
        Plan::Find { i, store, find, .. } => {
            (format!("spec.dataFrom[{i}]"), Some(*store), find_text(find))
        }
        Plan::Nothing { i } => (
            format!("spec.dataFrom[{i}]"),
            None,
            "sourceRef only".to_string(),
        ),
    };
    let entry = |result| Entry {
        field: field.clone(),
        store: store.map(|s| m.stores[clients.stores[s]].id()),
        reference: reference.clone(),
        result,
    };
    if offline {
        return entry(if matches!(plan, Plan::Nothing { .. }) {
            EntryResult::Ok(DataMap::new())
        } else {
            EntryResult::NotChecked
        });
    }
    let client = |slot: usize| match clients.client(slot) {
        Some(c) => c.clone(),
        None => unreachable!("bound entries always have a client"),
    };
    let retain = es.spec.target.deletion_policy == DeletionPolicy::Retain;
    let outcome: Result<DataMap, Failure> = match plan {
        Plan::Nothing { .. } => Ok(DataMap::new()),
        Plan::Data {
            i,
            store,
            r,
            secret_key,
        } => {
            let base = format!("spec.data[{i}].remoteRef");
            read(fetched, *store, r, &base).and_then(|payload| {
                let v = client(*store)
                    .get_secret(&payload, r)
                    .map_err(|e| Failure::provider(e, selection_field(&base, r)))?;
                let strategy = r.decoding_strategy.into();
                let v = esutils::decoding::decode(strategy, &v).map_err(|e| {
                    Failure::data(
                        e.applying(strategy).to_string(),
                        format!("{base}.decodingStrategy"),
                    )
                })?;
                if r.null_byte_policy == Some(NullBytePolicy::Fail) && v.expose().contains(&0) {
                    return Err(Failure::data(
                        null_byte_message(secret_key),
                        format!("{base}.nullBytePolicy"),
                    ));
                }
                Ok(DataMap::from([(secret_key.to_string(), v)]))
            })
        }
        Plan::Extract { i, store, r, df } => {
            let base = format!("spec.dataFrom[{i}].extract");
            read(fetched, *store, r, &base).and_then(|payload| {
                let map = client(*store)
                    .get_secret_map(&payload, r)
                    .map_err(|e| Failure::provider(e, selection_field(&base, r)))?;
                post_process(
                    map,
                    df,
                    *i,
                    r.conversion_strategy,
                    r.decoding_strategy,
                    r.null_byte_policy,
                )
            })
        }
        Plan::Find { i, store, find, df } => {
            let base = format!("spec.dataFrom[{i}].find");
            match fetched.finds.get(&(*store, (*find).clone())) {
                None => Err(Failure::timeout(fetched, base)),
                Some(Err(e)) => {
                    let mut f = Failure::provider(e.clone(), base);
                    f.diagnostic = Diagnostic::new(
                        f.diagnostic.class,
                        format!("error getting all secrets: {}", f.diagnostic.message),
                    );
                    Err(f)
                }
                Some(Ok(map)) => post_process(
                    map.clone(),
                    df,
                    *i,
                    find.conversion_strategy,
                    find.decoding_strategy,
                    find.null_byte_policy,
                ),
            }
        }
    };
    entry(match outcome {
        Ok(map) => EntryResult::Ok(map),
        Err(f) if f.not_found && !retain => EntryResult::Skipped,
        Err(f) => {
            let mut d = es.error(f.diagnostic, &f.field);
            if f.backend
                && let Some(slot) = store
            {
                let s = &m.stores[clients.stores[slot]];
                let mut cause = match &f.store_field {
                    Some(sf) => format!("{} sets it at {} ({sf})", s.id(), s.origin(sf)),
                    None => format!("read through {} ({})", s.id(), s.origin("spec.provider")),
                };
                if let Some(what) = clients.client(slot).and_then(|c| c.describe()) {
                    cause.push_str(&format!(": {what}"));
                }
                d = d.cause(cause);
            }
            if f.not_found && retain {
                d = d.hint(
                    "ESO fails the whole ExternalSecret when a secret is missing and \
                     deletionPolicy is Retain (the default)",
                );
            }
            EntryResult::Failed(d)
        }
    })
}

/// A failed entry before it is attached to its ExternalSecret.
struct Failure {
    diagnostic: Diagnostic,
    field: String,
    not_found: bool,
    /// The backend failed (rather than the data it returned): the store is named.
    backend: bool,
    /// A store field found wrong only when used (e.g. no cluster for a service-account token).
    store_field: Option<String>,
}

impl Failure {
    fn provider(e: provider::Error, field: String) -> Self {
        let not_found = e == provider::Error::NotFound;
        let (class, message, store_field) = match e {
            provider::Error::Unsupported(_) => (Class::Input, e.to_string(), None),
            provider::Error::Config { field, message } => (Class::Input, message, Some(field)),
            _ => (Class::Resolve, e.to_string(), None),
        };
        Self {
            not_found,
            diagnostic: Diagnostic::new(class, message),
            field,
            backend: true,
            store_field,
        }
    }

    fn data(message: String, field: String) -> Self {
        Self {
            diagnostic: Diagnostic::resolve(message),
            field,
            not_found: false,
            backend: false,
            store_field: None,
        }
    }

    fn timeout(fetched: &Fetched, field: String) -> Self {
        let msg = fetched
            .timed_out
            .clone()
            .unwrap_or_else(|| "the backend request did not complete".to_string());
        Self::data(msg, field)
    }
}

/// Selection errors point at `property` when there is one, else at `key`.
fn selection_field(base: &str, r: &RemoteRef) -> String {
    if r.property.as_deref().is_some_and(|p| !p.is_empty()) {
        format!("{base}.property")
    } else {
        format!("{base}.key")
    }
}

fn read(
    fetched: &Fetched,
    store: usize,
    r: &RemoteRef,
    base: &str,
) -> Result<Arc<Payload>, Failure> {
    match fetched.reads.get(&(store, Read::of(r))) {
        None => Err(Failure::timeout(fetched, format!("{base}.key"))),
        Some(Err(e)) => Err(Failure::provider(e.clone(), format!("{base}.key"))),
        Some(Ok(p)) => Ok(p.clone()),
    }
}

/// extract/find after the provider: rewrite → convert (only without rewrite) → validate keys →
/// decode values → null-byte check (`handleExtractSecrets` / `handleFindAllSecrets`).
fn post_process(
    map: DataMap,
    df: &DataFrom,
    i: usize,
    conversion_strategy: Option<crate::manifest::model::ConversionStrategy>,
    decoding_strategy: Option<crate::manifest::model::DecodingStrategy>,
    null_byte_policy: Option<NullBytePolicy>,
) -> Result<DataMap, Failure> {
    let what = if df.find.is_some() { "find" } else { "extract" };
    let base = format!("spec.dataFrom[{i}]");
    let map = if df.rewrite.is_empty() {
        let strategy = conversion_strategy.into();
        esutils::keys::convert_keys(strategy, map).map_err(|e| {
            Failure::data(
                e.converting(strategy).to_string(),
                format!("{base}.{what}.conversionStrategy"),
            )
        })?
    } else {
        let ops: Vec<esutils::rewrite::Rewrite> =
            df.rewrite.iter().filter_map(rewrite_op).collect();
        esutils::rewrite::rewrite_map_with(&ops, map, Some(&Transform)).map_err(|e| {
            Failure::data(
                format!("error applying rewrite to keys: {e}"),
                format!("{base}.rewrite"),
            )
        })?
    };
    let map = esutils::keys::validate_keys(map).map_err(|e| {
        let field = if df.rewrite.is_empty() {
            format!("{base}.{what}")
        } else {
            format!("{base}.rewrite")
        };
        Failure::data(e.invalid_keys().to_string(), field)
    })?;
    let strategy = decoding_strategy.into();
    let map = esutils::decoding::decode_map(strategy, map).map_err(|e| {
        Failure::data(
            e.applying(strategy).to_string(),
            format!("{base}.{what}.decodingStrategy"),
        )
    })?;
    if null_byte_policy == Some(NullBytePolicy::Fail)
        && let Some(k) = map
            .iter()
            .find(|(_, v)| v.expose().contains(&0))
            .map(|(k, _)| k)
    {
        return Err(Failure::data(
            null_byte_message(k),
            format!("{base}.{what}.nullBytePolicy"),
        ));
    }
    Ok(map)
}

fn null_byte_message(key: &str) -> String {
    format!(
        "fetched secret value for key {key:?} contains null bytes; use a text-safe format such as \
         PEM/base64 or leave nullBytePolicy unset for intentional binary data"
    )
}

/// `rewrite.transform` through the template engine: ESO parses with its full function map and
/// default delimiters, executes with `{"value": <key>}`, and does not set `missingkey=error`.
struct Transform;

impl esutils::rewrite::KeyTemplates for Transform {
    type Template = crate::template::Template;

    fn parse(&self, text: &str) -> Result<Self::Template, String> {
        let opts = crate::template::Options {
            missing_key_error: false,
            ..Default::default()
        };
        crate::template::Template::parse("transform", text, &opts).map_err(|e| e.to_string())
    }

    fn execute(&self, template: &Self::Template, key: &str) -> Result<String, String> {
        let data = DataMap::from([("value".to_string(), key.into())]);
        let out = template.execute(&data).map_err(|e| e.to_string())?;
        Ok(String::from_utf8_lossy(out.expose()).into_owned())
    }
}

fn rewrite_op(r: &crate::manifest::model::Rewrite) -> Option<esutils::rewrite::Rewrite> {
    use crate::manifest::model as m;
    use esutils::rewrite as rw;
    if let Some(re) = &r.regexp {
        return Some(rw::Rewrite::Regexp {
            source: re.source.clone(),
            target: re.target.clone(),
        });
    }
    if let Some(t) = &r.transform {
        return Some(rw::Rewrite::Transform {
            template: t.template.clone(),
        });
    }
    r.merge.as_ref().map(|mg| {
        rw::Rewrite::Merge(rw::Merge {
            into: mg.into.clone(),
            priority: mg.priority.clone(),
            priority_policy: match mg.priority_policy {
                m::PriorityPolicy::Strict => rw::PriorityPolicy::Strict,
                m::PriorityPolicy::IgnoreNotFound => rw::PriorityPolicy::IgnoreNotFound,
            },
            conflict_policy: match mg.conflict_policy {
                m::ConflictPolicy::Error => rw::ConflictPolicy::Error,
                m::ConflictPolicy::Ignore => rw::ConflictPolicy::Ignore,
            },
            strategy: match mg.strategy {
                m::MergeStrategy::Extract => rw::MergeStrategy::Extract,
                m::MergeStrategy::Json => rw::MergeStrategy::JSON,
            },
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Source;
    use crate::manifest::LoadOptions;
    use crate::manifest::load::parse_into;

    fn manifests(text: &str) -> Manifests {
        let (mut docs, mut errors) = (Vec::new(), Vec::new());
        parse_into(Arc::new(Source::Stdin), text, &mut docs, &mut errors);
        let m = Manifests::from_documents(
            docs,
            &LoadOptions {
                default_namespace: "default".into(),
                template: Default::default(),
            },
            &mut errors,
        );
        assert!(errors.is_empty(), "{errors:?}");
        m
    }

    fn options(timeout: Duration) -> Options {
        Options {
            concurrency: 4,
            timeout,
            controller_class: "default".into(),
            offline: false,
            retry: provider::RetryPolicy::default(),
            cluster: Default::default(),
        }
    }

    const STORE: &str = "apiVersion: external-secrets.io/v1\nkind: SecretStore\nmetadata: {name: s}\nspec:\n  provider:\n    fake:\n      data:\n      - {key: db, value: '{\"u\":\"a\",\"p\":\"b\"}'}\n      - {key: other, value: x}\n";

    fn es(name: &str, body: &str) -> String {
        format!(
            "---\napiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {{name: {name}}}\nspec:\n  secretStoreRef: {{name: s}}\n{body}"
        )
    }

    #[tokio::test]
    async fn one_read_per_distinct_secret_across_all_references() {
        let body = "  data:\n  - {secretKey: u, remoteRef: {key: db, property: u}}\n  - {secretKey: p, remoteRef: {key: db, property: p}}\n  dataFrom:\n  - extract: {key: db}\n";
        let text = format!(
            "{STORE}{}{}{}",
            es("a", body),
            es("b", body),
            es(
                "c",
                "  data:\n  - {secretKey: o, remoteRef: {key: other}}\n"
            )
        );
        let m = manifests(&text);
        let made = std::sync::Mutex::new(Vec::new());
        let out = resolve_with(&m, &options(Duration::from_secs(5)), |s, namespace| {
            let env = provider::Env {
                sources: &m.sources,
                namespace,
            };
            let c = Arc::new(Client::new(s, &env)?);
            made.lock().unwrap().push(c.clone());
            Ok(c)
        })
        .await;
        assert!(out.iter().all(|r| r.data().is_ok()));
        let made = made.into_inner().unwrap();
        assert_eq!(made.len(), 1, "one client per store");
        // 7 references, 2 distinct remote secrets.
        assert_eq!(made[0].requests(), 2);
        let a = out[0].data().unwrap();
        assert_eq!(a.keys().collect::<Vec<_>>(), ["p", "u"]);
    }

    #[tokio::test]
    async fn deadline_fails_every_waiting_entry_with_a_timeout_error() {
        let text = format!(
            "{STORE}{}",
            es(
                "a",
                "  data:\n  - {secretKey: u, remoteRef: {key: db}}\n  dataFrom:\n  - find: {name: {regexp: d}}\n"
            )
        );
        let m = manifests(&text);
        let out = resolve_with(&m, &options(Duration::from_millis(50)), |_, _| {
            Ok(Arc::new(Client::Stalled))
        })
        .await;
        let errors = out[0].data().unwrap_err();
        assert_eq!(errors.len(), 2);
        for e in errors {
            assert!(
                e.message
                    .starts_with("timed out after 50ms waiting for backends"),
                "{e}"
            );
            assert_eq!(e.class, Class::Resolve);
        }
    }
}
