{{/*
Names are fixed, not derived from the release: one agent per cluster, and the names are what the
control service and the engine expect (the webhook's Service, the config Secret).
*/}}
{{- define "agent.name" -}}eci-virtual-node-agent{{- end -}}
{{- define "agent.drainName" -}}eci-virtual-node-agent-drain{{- end -}}
{{- define "agent.configSecret" -}}eci-virtual-node-agent-config{{- end -}}

{{- define "agent.labels" -}}
app.kubernetes.io/name: {{ include "agent.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "agent.selectorLabels" -}}
app.kubernetes.io/name: {{ include "agent.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "agent.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* The Secret holding the agent token: the chart's own, or one the installer made. */}}
{{- define "agent.tokenSecret" -}}
{{- if .Values.existingTokenSecret -}}
{{ .Values.existingTokenSecret }}
{{- else -}}
{{- $_ := required "token (the agent token the control service issued) or existingTokenSecret is required: --set token=..." .Values.token -}}
{{ include "agent.name" . }}-token
{{- end -}}
{{- end -}}

{{- define "agent.tokenDir" -}}/etc/eci-virtual-node-agent/token{{- end -}}

{{/*
The webhook's port, one number in three places: the agent listens on it (AGENT_WEBHOOK_PORT, the
container port) and writes it as the port of the Service reference in its webhook configuration, so
the Service must offer the same port.
*/}}
{{- define "agent.webhookPort" -}}8443{{- end -}}

{{/*
The agent's settings, shared by the agent and its drain: Quarkus reads agent.x-y from AGENT_X_Y.
`mode` is run or drain.
*/}}
{{- define "agent.env" -}}
- name: AGENT_MODE
  value: {{ .mode }}
- name: AGENT_SERVICE_URL
  value: {{ required "serviceUrl (the control service's base URL) is required: --set serviceUrl=https://..." .root.Values.serviceUrl | quote }}
- name: AGENT_CLUSTER_ID
  value: {{ required "clusterId (the cluster's registration id in the control service) is required: --set clusterId=..." .root.Values.clusterId | quote }}
- name: AGENT_TOKEN_FILE
  value: {{ include "agent.tokenDir" .root }}/token
- name: AGENT_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
# The pod's name: unique among live replicas and the holder identity in the ownership Lease.
- name: AGENT_REPLICA
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- with .root.Values.eci.endpoint }}
- name: AGENT_ECI_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- with .root.Values.eci.credentialsSecret }}
- name: AGENT_ECI_CREDENTIALS_SECRET
  value: {{ . | quote }}
{{- end }}
- name: AGENT_WEBHOOK_SERVICE_NAME
  value: {{ include "agent.name" .root }}
- name: AGENT_WEBHOOK_SERVICE_NAMESPACE
  value: {{ .root.Release.Namespace }}
- name: AGENT_WEBHOOK_PORT
  value: {{ include "agent.webhookPort" .root | quote }}
{{- with .root.Values.webhook.certSecret }}
- name: AGENT_WEBHOOK_CERT_SECRET
  value: {{ . | quote }}
{{- end }}
- name: JAVA_OPTS_APPEND
  value: {{ .root.Values.javaOpts | quote }}
{{- end -}}

{{/* Non-root, nothing to escalate to, and a read-only root file system (/tmp is an emptyDir). */}}
{{- define "agent.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 185
runAsGroup: 185
fsGroup: 185
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "agent.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}
