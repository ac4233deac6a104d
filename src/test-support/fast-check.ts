/**
 * fast-check's settings for the whole suite, loaded before every test file (vitest `setupFiles`).
 * A property that fails on a long input shrinks it step by step, each step running the code under test
 * again; on a slow machine that once took CI past half an hour for one failing detector property. The
 * time limit bounds a run, shrinking included, and an interrupted run counts as a failure, so a property
 * never passes by running out of time.
 */
import fc from 'fast-check';

fc.configureGlobal({ interruptAfterTimeLimit: 45_000, markInterruptAsFailure: true });
