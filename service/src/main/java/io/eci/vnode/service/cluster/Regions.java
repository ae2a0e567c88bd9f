package io.eci.vnode.service.cluster;

import java.util.Set;
import java.util.TreeSet;

/** The Alibaba Cloud regions where Elastic Container Instance is offered. */
final class Regions {

  /** Region ids as ECI's DescribeRegions lists them. */
  static final Set<String> ECI =
      new TreeSet<>(
          Set.of(
              "cn-hangzhou",
              "cn-shanghai",
              "cn-nanjing",
              "cn-fuzhou",
              "cn-qingdao",
              "cn-beijing",
              "cn-zhangjiakou",
              "cn-huhehaote",
              "cn-wulanchabu",
              "cn-shenzhen",
              "cn-heyuan",
              "cn-guangzhou",
              "cn-chengdu",
              "cn-hongkong",
              "ap-northeast-1",
              "ap-northeast-2",
              "ap-southeast-1",
              "ap-southeast-3",
              "ap-southeast-5",
              "ap-southeast-6",
              "ap-southeast-7",
              "ap-south-1",
              "us-east-1",
              "us-west-1",
              "eu-west-1",
              "eu-central-1",
              "me-east-1",
              "me-central-1"));

  private Regions() {}
}
