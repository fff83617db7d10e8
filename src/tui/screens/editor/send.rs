//! Where the editor's submit is: ready, sent and awaited, the server's copy
//! being fetched after a version conflict, or failed. The editor keeps it, so
//! an answer finds its place whichever screen the editor is under; the
//! confirm screen shows it (Enter does nothing while a request is on its way,
//! and after a failure Enter tries again).

use crate::client::ClientError;
use crate::domain::profile::SecurityProfile;
use crate::tui::message::RequestId;

/// The submit's state.
#[derive(Debug, Clone, Default)]
pub enum Send {
    /// Nothing on its way; nothing failed since the last send.
    #[default]
    Ready,
    /// The submit on its way, and the profile as sent (the new base once it lands).
    Sending { id: RequestId, sent: Box<SecurityProfile> },
    /// The submit met a version conflict (`after`): the server's copy is on its way.
    Fetching { id: RequestId, after: ClientError },
    /// The submit failed: the edits stay as they are.
    Failed(ClientError),
}

impl Send {
    /// A request is on its way: the editor cannot be closed, Enter does not send again.
    pub fn busy(&self) -> bool {
        matches!(self, Send::Sending { .. } | Send::Fetching { .. })
    }

    /// Whether `id` is the submit awaited.
    pub fn sending(&self, id: RequestId) -> bool {
        matches!(self, Send::Sending { id: awaited, .. } if *awaited == id)
    }

    /// Whether `id` is the look-up of the server's copy awaited.
    pub fn fetching(&self, id: RequestId) -> bool {
        matches!(self, Send::Fetching { id: awaited, .. } if *awaited == id)
    }

    /// Why the last submit failed, while that is still the news.
    pub fn error(&self) -> Option<&ClientError> {
        match self {
            Send::Failed(e) | Send::Fetching { after: e, .. } => Some(e),
            Send::Ready | Send::Sending { .. } => None,
        }
    }

    /// The submit landed: the profile as sent, and ready again.
    pub fn landed(&mut self) -> Option<SecurityProfile> {
        match std::mem::take(self) {
            Send::Sending { sent, .. } => Some(*sent),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_answer_is_taken_only_in_its_state() {
        let (a, b) = (RequestId(1), RequestId(2));
        let mut s = Send::Sending { id: a, sent: Box::default() };
        assert!(s.busy() && s.sending(a) && !s.sending(b) && !s.fetching(a));
        assert!(s.error().is_none());
        let conflict = ClientError::Service {
            operation: "UpdateSecurityProfile",
            code: "VersionConflictException".into(),
            message: "changed".into(),
        };
        s = Send::Fetching { id: b, after: conflict.clone() };
        assert!(s.busy() && s.fetching(b) && s.error().is_some());
        assert_eq!(s.landed(), None, "a look-up is not a submit that landed");
        s = Send::Failed(conflict);
        assert!(!s.busy() && s.error().is_some());
        s = Send::Sending {
            id: a,
            sent: Box::new(SecurityProfile { security_profile_name: "p".into(), ..Default::default() }),
        };
        assert_eq!(s.landed().map(|p| p.security_profile_name), Some("p".into()));
        assert!(matches!(s, Send::Ready));
    }
}
