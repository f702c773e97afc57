package org.sipsentry.sip.stir.fetch;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body of at most {@code cap} bytes. One buffer list is requested at a time;
 * the moment the count passes the cap the subscription is cancelled (which closes the connection)
 * and the body completes with {@link FetchFailure#TOO_LARGE}, so no more than {@code cap} bytes
 * plus one network read are ever held.
 */
final class CappedBodySubscriber implements HttpResponse.BodySubscriber<FetchResult> {

  /** The first allocation; a SHAKEN chain of 2–4 KB fits without growing. */
  private static final int INITIAL_CAPACITY = 4096;

  private final String x5u;
  private final int cap;
  private final Result onComplete;
  private final CompletableFuture<FetchResult> body = new CompletableFuture<>();
  private Flow.Subscription subscription;
  private byte[] bytes = new byte[0];
  private int count;

  /** Builds the success from the collected bytes. */
  interface Result {
    FetchResult of(byte[] body);
  }

  CappedBodySubscriber(String x5u, int cap, Result onComplete) {
    this.x5u = x5u;
    this.cap = cap;
    this.onComplete = onComplete;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    synchronized (this) {
      subscription = s;
    }
    if (body.isDone()) {
      s.cancel();
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (body.isDone()) {
      return;
    }
    long incoming = 0;
    for (ByteBuffer b : buffers) {
      incoming += b.remaining();
    }
    if (count + incoming > cap) {
      abort(
          new FetchResult.Failed(
              x5u, FetchFailure.TOO_LARGE, "body larger than " + cap + " bytes"));
      return;
    }
    int needed = (int) (count + incoming);
    if (needed > bytes.length) {
      int grown = Math.max(needed, Math.min(cap, Math.max(INITIAL_CAPACITY, bytes.length * 2)));
      bytes = Arrays.copyOf(bytes, grown);
    }
    for (ByteBuffer b : buffers) {
      int n = b.remaining();
      b.get(bytes, count, n);
      count += n;
    }
    subscription().request(1);
  }

  @Override
  public void onError(Throwable error) {
    body.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    body.complete(onComplete.of(Arrays.copyOf(bytes, count)));
  }

  @Override
  public CompletionStage<FetchResult> getBody() {
    return body;
  }

  /** Completes the body with {@code result} (unless already complete) and stops reading. */
  void abort(FetchResult result) {
    if (body.complete(result)) {
      Flow.Subscription s = subscription();
      if (s != null) {
        s.cancel();
      }
    }
  }

  /** How many bytes the buffer can hold now; for tests of the memory bound. */
  int capacity() {
    return bytes.length;
  }

  private synchronized Flow.Subscription subscription() {
    return subscription;
  }
}
