//! [`Continuity`]: whether each run of samples a stage is given follows the last one, so a stage
//! that carries state from run to run (the trace's join, a filter, an integrating meter) can
//! reset after samples were skipped (a stalled page catches up by dropping the oldest).

/// Follows the stream position of the runs a stage is given.
#[derive(Clone, Copy, Debug, Default)]
pub struct Continuity {
    /// The position after the last sample given (None: none yet, or after a [`reset`](Self::reset)).
    next: Option<u64>,
}

impl Continuity {
    /// Takes a run of `count` samples whose first is at stream position `first`; returns true
    /// when samples are missing between the last run and this one (a gap). An empty run
    /// changes nothing.
    pub fn advance(&mut self, first: u64, count: u64) -> bool {
        if count == 0 {
            return false;
        }
        let gap = self.next.is_some_and(|n| n != first);
        self.next = Some(first + count);
        gap
    }

    /// The stream position the next run should start at to follow the last one (None before
    /// the first run and after a [`reset`](Self::reset)): a run that starts later than this
    /// follows a gap of the difference.
    pub fn next(&self) -> Option<u64> {
        self.next
    }

    /// Forgets the position: the next run starts afresh (no gap reported).
    pub fn reset(&mut self) {
        self.next = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_runs_have_no_gap_and_skipped_samples_do() {
        let mut c = Continuity::default();
        assert!(!c.advance(1000, 256), "the first run follows nothing");
        assert!(!c.advance(1256, 128));
        assert!(!c.advance(1384, 0), "an empty run is no gap");
        assert!(!c.advance(1384, 64));
        assert_eq!(c.next(), Some(1448));
        assert!(c.advance(9000, 64), "samples 1448 to 8999 were skipped");
        assert!(!c.advance(9064, 64));
        c.reset();
        assert_eq!(c.next(), None);
        assert!(!c.advance(20_000, 1), "after a reset the next run starts afresh");
    }
}
