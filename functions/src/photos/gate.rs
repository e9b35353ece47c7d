//! The decode slots: a counting gate that lets at most a fixed number of photos be decoded at
//! once in the process, so that parallel uploads queue instead of each taking their own share
//! of memory. Waiting is bounded; a caller that does not get a slot in time is told so.

use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

/// At most `slots` holders of a [`Slot`] at a time.
pub(super) struct Gate {
    slots: usize,
    taken: Mutex<usize>,
    freed: Condvar,
}

/// A taken slot, given back when dropped (also when the decoder panics).
pub(super) struct Slot<'a> {
    gate: &'a Gate,
}

impl Gate {
    pub const fn new(slots: usize) -> Self {
        Gate { slots, taken: Mutex::new(0), freed: Condvar::new() }
    }

    /// Takes a slot, waiting up to `wait` for one to be given back; None if none was.
    pub fn enter(&self, wait: Duration) -> Option<Slot<'_>> {
        // The count stays right even if a holder panicked: nothing panics while holding the lock.
        let taken = self.taken.lock().unwrap_or_else(PoisonError::into_inner);
        let (mut taken, timeout) = self
            .freed
            .wait_timeout_while(taken, wait, |taken| *taken >= self.slots)
            .unwrap_or_else(PoisonError::into_inner);
        if timeout.timed_out() && *taken >= self.slots {
            return None;
        }
        *taken += 1;
        Some(Slot { gate: self })
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut taken = self.gate.taken.lock().unwrap_or_else(PoisonError::into_inner);
        *taken = taken.saturating_sub(1);
        drop(taken);
        self.gate.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Instant;

    use super::*;

    #[test]
    fn at_most_the_slots_are_taken_and_the_others_wait_their_turn() {
        let gate = Gate::new(2);
        let (inside, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    let slot = gate.enter(Duration::from_secs(30));
                    assert!(slot.is_some(), "every caller gets a slot in the end");
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(20));
                    inside.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert_eq!(*gate.taken.lock().unwrap_or_else(PoisonError::into_inner), 0, "all given back");
    }

    #[test]
    fn a_caller_waits_at_most_the_bound_and_a_freed_slot_lets_the_next_in() {
        let gate = Gate::new(1);
        let first = gate.enter(Duration::ZERO);
        assert!(first.is_some());
        let started = Instant::now();
        assert!(gate.enter(Duration::from_millis(50)).is_none(), "the only slot is taken");
        assert!(started.elapsed() >= Duration::from_millis(50));
        std::thread::scope(|s| {
            let waiter = s.spawn(|| gate.enter(Duration::from_secs(30)).is_some());
            std::thread::sleep(Duration::from_millis(20));
            drop(first);
            assert!(waiter.join().is_ok_and(|got| got));
        });
    }

    #[test]
    fn a_slot_is_given_back_when_its_holder_panics() {
        let gate = Gate::new(1);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _slot = gate.enter(Duration::ZERO);
            panic!("decoder bug");
        }));
        assert!(result.is_err());
        assert!(gate.enter(Duration::ZERO).is_some());
    }
}
