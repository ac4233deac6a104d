/**
 * fast-check's settings for the whole suite, loaded before every test file (vitest `setupFiles`).
 * A property that fails on a long input shrinks it step by step, each step running the code under test
 * again; on a slow machine that once held CI for minutes on one failing detector property. The time limit
 * cuts a run short, shrinking included: a failure found is still reported (with the counterexample shrunk
 * so far). A run cut short before any failure passes on the cases it ran: on a loaded machine an async
 * property may get through fewer cases, and that is not a failure of the code (checked: a run interrupted
 * while shrinking still throws).
 */
import fc from 'fast-check';

fc.configureGlobal({ interruptAfterTimeLimit: 50_000, markInterruptAsFailure: false });
