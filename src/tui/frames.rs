//! The terminal the editor draws on: a writer that holds one frame's bytes and
//! sends them at once, inside a synchronized update (so a terminal that knows
//! it shows the frame whole, without tearing over a slow link) when the frame
//! is large, and bare when it is a few cells (a keystroke): the 16 bytes of
//! brackets would double what a typed character costs over SSH.

use std::io::{self, Stdout, Write};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// Frames up to this size go out without the synchronized-update brackets.
const SMALL_FRAME: usize = 96;

const BEGIN_SYNC: &[u8] = b"\x1b[?2026h";
const END_SYNC: &[u8] = b"\x1b[?2026l";

pub struct FrameWriter<W: Write> {
    out: W,
    buf: Vec<u8>,
}

impl<W: Write> FrameWriter<W> {
    pub fn new(out: W) -> FrameWriter<W> {
        FrameWriter { out, buf: Vec::with_capacity(16 * 1024) }
    }
}

impl<W: Write> Write for FrameWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        if self.buf.len() > SMALL_FRAME {
            self.out.write_all(BEGIN_SYNC)?;
            self.out.write_all(&self.buf)?;
            self.out.write_all(END_SYNC)?;
        } else {
            self.out.write_all(&self.buf)?;
        }
        self.buf.clear();
        self.out.flush()
    }
}

pub type Term = Terminal<CrosstermBackend<FrameWriter<Stdout>>>;

/// A terminal drawing through `FrameWriter` (the modes are `terminal::TerminalGuard`'s).
pub fn new_terminal() -> io::Result<Term> {
    Terminal::new(CrosstermBackend::new(FrameWriter::new(io::stdout())))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn large_frames_are_bracketed_and_small_ones_are_not() {
        let mut w = FrameWriter::new(Vec::new());
        w.write_all(b"\x1b[4;34Ha").unwrap();
        assert!(w.out.is_empty(), "nothing goes out before the flush");
        w.flush().unwrap();
        assert_eq!(w.out, b"\x1b[4;34Ha");
        w.out.clear();
        w.flush().unwrap();
        assert!(w.out.is_empty());
        let frame = [b'x'; SMALL_FRAME + 1];
        w.write_all(&frame[..10]).unwrap();
        w.write_all(&frame[10..]).unwrap();
        w.flush().unwrap();
        assert_eq!(&w.out[..BEGIN_SYNC.len()], BEGIN_SYNC);
        assert_eq!(&w.out[w.out.len() - END_SYNC.len()..], END_SYNC);
        assert_eq!(w.out.len(), frame.len() + 16);
    }
}
