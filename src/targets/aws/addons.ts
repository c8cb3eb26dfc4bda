/**
 * EKS add-on versions pinned per Kubernetes minor version, so a synth today and a synth next
 * month render the same cluster. Update with
 * `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <addon>`
 * (an offline plan cannot check them; EKS rejects an unknown version at apply).
 */
export const EKS_ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<"vpc-cni" | "kube-proxy" | "eks-pod-identity-agent" | "coredns", string>>>> = {
  "1.32": { "vpc-cni": "v1.20.4-eksbuild.2", "kube-proxy": "v1.32.0-eksbuild.2", "eks-pod-identity-agent": "v1.3.10-eksbuild.2", coredns: "v1.11.4-eksbuild.2" },
  "1.33": { "vpc-cni": "v1.20.4-eksbuild.2", "kube-proxy": "v1.33.0-eksbuild.2", "eks-pod-identity-agent": "v1.3.10-eksbuild.2", coredns: "v1.12.1-eksbuild.2" },
  "1.34": { "vpc-cni": "v1.20.4-eksbuild.2", "kube-proxy": "v1.34.0-eksbuild.2", "eks-pod-identity-agent": "v1.3.10-eksbuild.2", coredns: "v1.12.3-eksbuild.1" },
  "1.35": { "vpc-cni": "v1.21.1-eksbuild.3", "kube-proxy": "v1.35.0-eksbuild.2", "eks-pod-identity-agent": "v1.3.10-eksbuild.2", coredns: "v1.13.2-eksbuild.1" },
};
