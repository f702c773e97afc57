package org.sipsentry.detector.numbers;

import java.util.Objects;

/**
 * A number list with the name evidence shows for it, usually its file name ({@code bank-dno.txt}).
 */
public record NamedList(String name, NumberList list) {

  public NamedList {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(list, "list");
  }
}
