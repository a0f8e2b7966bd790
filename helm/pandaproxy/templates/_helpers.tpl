{{/* The name of the operator's objects (Deployment, ServiceAccount, RBAC, Service): "<release>-operator". */}}
{{- define "pandaproxy.name" -}}
{{- printf "%s-operator" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object the chart renders for the operator. */}}
{{- define "pandaproxy.labels" -}}
{{ include "pandaproxy.selector" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/* The operator pod's labels that never change between upgrades (a Deployment's selector is immutable). */}}
{{- define "pandaproxy.selector" -}}
app.kubernetes.io/name: pandaproxy
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{/* The operator's image; the tag defaults to the chart's appVersion. */}}
{{- define "pandaproxy.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The names of imagePullSecrets as a comma list (the operator's IMAGE_PULL_SECRETS). */}}
{{- define "pandaproxy.pullSecretNames" -}}
{{- $names := list -}}
{{- range .Values.imagePullSecrets -}}
{{- $names = append $names (required "imagePullSecrets: each entry needs a name, e.g. {name: regcred}" .name) -}}
{{- end -}}
{{- join "," $names -}}
{{- end -}}

{{/* "true" when the operator must take the Lease before acting: asked for, or more than one replica. */}}
{{- define "pandaproxy.leaderElection" -}}
{{- if or .Values.leaderElection.enabled (gt (int .Values.replicas) 1) -}}true{{- else -}}false{{- end -}}
{{- end -}}
