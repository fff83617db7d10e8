//! The queue between the sessions and the store for Device Defender reports:
//! one thread takes every report waiting (up to `BATCH`) and stores them in
//! one transaction (`Service::take_reports`), then hands each session its
//! reply. Sessions never block on SQLite, and a fleet's reports share commits.

use std::sync::Arc;

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};

use crate::sandbox::device_reports::{Format, Reply};
use crate::sandbox::{ApiError, Service};

/// Most reports stored in one transaction.
pub const BATCH: usize = 512;
/// Most reports waiting; past it a report is answered as the store's failure.
pub const WAITING: usize = 16_384;

struct Job {
    thing: String,
    format: Format,
    payload: Bytes,
    reply: oneshot::Sender<Result<Reply, ApiError>>,
}

/// Where sessions send reports.
#[derive(Clone)]
pub struct Reports {
    tx: mpsc::Sender<Job>,
}

impl Reports {
    /// Starts the storing thread; it ends when every `Reports` is dropped.
    pub fn start(service: Arc<Service>) -> Reports {
        let (tx, mut rx) = mpsc::channel::<Job>(WAITING);
        std::thread::Builder::new()
            .name("ddsp-reports".into())
            .spawn(move || {
                let mut jobs = Vec::with_capacity(BATCH);
                while let Some(first) = rx.blocking_recv() {
                    jobs.push(first);
                    while jobs.len() < BATCH {
                        match rx.try_recv() {
                            Ok(job) => jobs.push(job),
                            Err(_) => break,
                        }
                    }
                    let batch: Vec<(String, Format, Bytes)> =
                        jobs.iter().map(|j| (j.thing.clone(), j.format, j.payload.clone())).collect();
                    let replies = service.take_reports(&batch);
                    for (job, reply) in jobs.drain(..).zip(replies) {
                        let _ = job.reply.send(reply);
                    }
                }
            })
            .map_or_else(|e| tracing::error!(target: "ddsp::sandbox", "cannot start the report thread: {e}"), |_| ());
        Reports { tx }
    }

    /// Stores one report and answers its reply.
    ///
    /// Errors: the store's, or a queue that is full or gone (InternalFailure).
    pub async fn take(&self, thing: &str, format: Format, payload: Bytes) -> Result<Reply, ApiError> {
        let (reply, answer) = oneshot::channel();
        let job = Job { thing: thing.to_owned(), format, payload, reply };
        self.tx
            .try_send(job)
            .map_err(|_| ApiError::internal("The sandbox is storing too many reports at once; try again"))?;
        answer.await.map_err(|_| ApiError::internal("The report was not stored: the sandbox is stopping"))?
    }
}
