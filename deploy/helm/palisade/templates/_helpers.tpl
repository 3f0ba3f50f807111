{{/* The fixed names `palisade install` uses too: one injector per cluster (its webhook configuration is cluster-wide). */}}
{{- define "palisade.name" -}}palisade-injector{{- end -}}
{{- define "palisade.tlsSecret" -}}palisade-injector-tls{{- end -}}
{{- define "palisade.caSecret" -}}palisade-injector-ca{{- end -}}
{{- define "palisade.serviceHost" -}}{{ include "palisade.name" . }}.{{ .Release.Namespace }}.svc{{- end -}}

{{- define "palisade.selectorLabels" -}}
app.kubernetes.io/name: palisade
app.kubernetes.io/component: injector
{{- end -}}

{{- define "palisade.labels" -}}
{{ include "palisade.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "palisade.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{- define "palisade.sidecarImage" -}}
{{ .Values.sidecar.image | default (include "palisade.image" .) }}
{{- end -}}
