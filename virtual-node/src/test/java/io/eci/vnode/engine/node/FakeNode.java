package io.eci.vnode.engine.node;

import java.util.ArrayList;
import java.util.List;

/** The node's objects as a record of what was written, with a switch to refuse the writes. */
final class FakeNode implements NodeObjects {

  /** A condition or Event written on the node. */
  record Written(String kind, String status, String reason) {}

  final List<Written> written = new ArrayList<>();
  RuntimeException refusal;
  int registrations;
  int renewals;
  int pings;

  @Override
  public String nodeName() {
    return "virtual-kubelet-cn-hangzhou-b";
  }

  @Override
  public String apiServer() {
    return "https://10.0.0.1:6443";
  }

  @Override
  public void register() {
    refuseIfAsked();
    registrations++;
  }

  @Override
  public void renewLease() {
    refuseIfAsked();
    renewals++;
  }

  @Override
  public void ping() {
    refuseIfAsked();
    pings++;
  }

  @Override
  public void report(boolean ready, String reason, String message) {
    refuseIfAsked();
    written.add(new Written("Ready", ready ? "True" : "False", reason));
  }

  @Override
  public void event(String type, String reason, String message) {
    written.add(new Written("Event", type, reason));
  }

  private void refuseIfAsked() {
    if (refusal != null) {
      throw refusal;
    }
  }
}
