package org.sipsentry.sip.stir.fetch;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link FetchListener} that remembers every call, for assertions. */
public final class RecordingListener implements FetchListener {

  public final AtomicInteger hits = new AtomicInteger();
  public final AtomicInteger misses = new AtomicInteger();
  public final AtomicInteger started = new AtomicInteger();
  public final AtomicInteger succeeded = new AtomicInteger();
  public final List<FetchFailure> failures = new CopyOnWriteArrayList<>();
  public final List<String> breakersOpened = new CopyOnWriteArrayList<>();

  @Override
  public void cacheHit(String x5u) {
    hits.incrementAndGet();
  }

  @Override
  public void cacheMiss(String x5u) {
    misses.incrementAndGet();
  }

  @Override
  public void fetchStarted(String x5u) {
    started.incrementAndGet();
  }

  @Override
  public void fetchSucceeded(String x5u, int bytes) {
    succeeded.incrementAndGet();
  }

  @Override
  public void fetchFailed(String x5u, FetchFailure kind) {
    failures.add(kind);
  }

  @Override
  public void breakerOpened(String host) {
    breakersOpened.add(host);
  }
}
