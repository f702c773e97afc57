package org.sipsentry.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class SighupTest {

  @Test
  @EnabledOnOs({OS.LINUX, OS.MAC})
  void install_hupSentToThisJvm_runsTheAction() throws Exception {
    AtomicInteger reloads = new AtomicInteger();

    boolean installed = Sighup.install(reloads::incrementAndGet);

    // Sent only once our handler is in place: the JVM's default for HUP is to exit.
    assertThat(installed).isTrue();
    Process kill =
        new ProcessBuilder("kill", "-HUP", String.valueOf(ProcessHandle.current().pid()))
            .inheritIO()
            .start();
    assertThat(kill.waitFor()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> reloads.get() == 1);
  }
}
