package gateway

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/isb-region/shepadapter/adapter/soap"
)

// Metrics counts requests by channel kind and outcome (accepted, duplicate,
// notification or our refusal code) and times them.
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewMetrics registers the gateway metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shepadapter_gateway_requests_total", Help: "SOAP requests from the gateway by endpoint and outcome.",
		}, []string{"endpoint", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "shepadapter_gateway_request_seconds", Help: "Time to answer a SOAP request, by endpoint.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"endpoint"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

func (m *Metrics) observe(kind soap.Kind, outcome string, start time.Time) {
	if m == nil {
		return
	}
	ep := "sync"
	if kind == soap.Async {
		ep = "async"
	}
	m.requests.WithLabelValues(ep, outcome).Inc()
	m.duration.WithLabelValues(ep).Observe(time.Since(start).Seconds())
}
