//! Chart geometry for the insights page: where each bar, line, tick and
//! label goes, in SVG user units. `templates/chart.html` draws it, so every
//! label is escaped like any other text on the page.

/// Size of every chart, and the margins left for the axes.
const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;
/// Most x labels shown; the others are skipped.
const X_LABELS: usize = 8;

pub struct Chart {
    pub id: &'static str,
    pub title: String,
    /// One sentence for screen readers and the figure caption.
    pub summary: String,
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub y_ticks: Vec<Tick>,
    pub x_ticks: Vec<Tick>,
    pub bars: Vec<Bar>,
    pub lines: Vec<Line>,
    pub markers: Vec<Marker>,
    pub legend: Vec<LegendItem>,
}

pub struct Tick {
    pub at: f64,
    pub label: String,
}

pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub class: &'static str,
    /// Shown on hover.
    pub title: String,
}

pub struct Line {
    /// `x,y x,y …`
    pub points: String,
    pub class: &'static str,
    pub title: String,
}

/// A reference line across (`horizontal`) or up the plot, labelled.
pub struct Marker {
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
    pub class: &'static str,
    pub label: String,
    pub label_x: f64,
    pub label_y: f64,
}

pub struct LegendItem {
    pub class: &'static str,
    pub label: String,
}

/// One series of a chart: its CSS class, its name, a value per slot.
pub struct Series {
    pub class: &'static str,
    pub label: String,
    pub values: Vec<f64>,
}

impl Chart {
    fn new(id: &'static str, title: &str, summary: String, legend: &[Series]) -> Self {
        Self {
            id,
            title: title.to_owned(),
            summary,
            width: WIDTH,
            height: HEIGHT,
            left: LEFT,
            right: WIDTH - RIGHT,
            top: TOP,
            bottom: HEIGHT - BOTTOM,
            y_ticks: Vec::new(),
            x_ticks: Vec::new(),
            bars: Vec::new(),
            lines: Vec::new(),
            markers: Vec::new(),
            legend: legend
                .iter()
                .map(|s| LegendItem {
                    class: s.class,
                    label: s.label.clone(),
                })
                .collect(),
        }
    }

    fn plot_width(&self) -> f64 {
        self.right - self.left
    }

    fn plot_height(&self) -> f64 {
        self.bottom - self.top
    }

    /// Scales 0..=`max` onto the plot and labels the y axis.
    fn y_axis(&mut self, max: f64, format: fn(f64) -> String) -> f64 {
        let top = nice_ceiling(max);
        self.y_ticks = (0..=4)
            .map(|i| {
                let value = top * f64::from(i) / 4.0;
                Tick {
                    at: self.y(value, top),
                    label: format(value),
                }
            })
            .collect();
        top
    }

    fn y(&self, value: f64, top: f64) -> f64 {
        self.bottom - self.plot_height() * (value / top).clamp(0.0, 1.0)
    }

    /// Labels some of the slots along the x axis, at their centres.
    fn x_axis(&mut self, labels: &[String]) {
        let slot = self.plot_width() / labels.len().max(1) as f64;
        let every = labels.len().div_ceil(X_LABELS).max(1);
        self.x_ticks = labels
            .iter()
            .enumerate()
            .filter(|(i, _)| i % every == 0)
            .map(|(i, label)| Tick {
                at: self.left + slot * (i as f64 + 0.5),
                label: label.clone(),
            })
            .collect();
    }
}

/// Bars stacked per slot, one segment per series.
pub fn stacked_bars(
    id: &'static str,
    title: &str,
    summary: String,
    labels: &[String],
    series: &[Series],
) -> Chart {
    let mut chart = Chart::new(id, title, summary, series);
    let totals: Vec<f64> = (0..labels.len())
        .map(|i| series.iter().map(|s| s.values[i]).sum())
        .collect();
    let top = chart.y_axis(totals.iter().copied().fold(0.0, f64::max), count);
    chart.x_axis(labels);
    let slot = chart.plot_width() / labels.len().max(1) as f64;
    for (i, label) in labels.iter().enumerate() {
        let mut base = 0.0;
        for s in series {
            let value = s.values[i];
            if value <= 0.0 {
                continue;
            }
            let (y_low, y_high) = (chart.y(base, top), chart.y(base + value, top));
            chart.bars.push(Bar {
                x: chart.left + slot * i as f64 + slot * 0.1,
                y: y_high,
                w: slot * 0.8,
                h: (y_low - y_high).max(0.5),
                class: s.class,
                title: format!("{label}: {} {}", count(value), s.label),
            });
            base += value;
        }
    }
    chart
}

/// Bars side by side per slot, one per series, with vertical markers at
/// fractions of the x axis.
pub fn grouped_bars(
    id: &'static str,
    title: &str,
    summary: String,
    labels: &[String],
    series: &[Series],
    markers: &[(f64, String)],
) -> Chart {
    let mut chart = Chart::new(id, title, summary, series);
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0, f64::max);
    let top = chart.y_axis(max, count);
    chart.x_axis(labels);
    let slot = chart.plot_width() / labels.len().max(1) as f64;
    let width = slot * 0.8 / series.len().max(1) as f64;
    for (i, label) in labels.iter().enumerate() {
        for (k, s) in series.iter().enumerate() {
            let value = s.values[i];
            let y = chart.y(value, top);
            chart.bars.push(Bar {
                x: chart.left + slot * i as f64 + slot * 0.1 + width * k as f64,
                y,
                w: width,
                h: chart.bottom - y,
                class: s.class,
                title: format!("{label}: {} {}", count(value), s.label),
            });
        }
    }
    for (at, label) in markers {
        let x = chart.left + chart.plot_width() * at.clamp(0.0, 1.0);
        chart.markers.push(Marker {
            x1: x,
            y1: chart.top,
            x2: x,
            y2: chart.bottom,
            class: "marker",
            label: label.clone(),
            label_x: x + 3.0,
            label_y: chart.top + 10.0,
        });
    }
    chart
}

/// Lines through each slot's value, with an optional labelled horizontal
/// target.
pub fn lines(
    id: &'static str,
    title: &str,
    summary: String,
    labels: &[String],
    series: &[Series],
    format: fn(f64) -> String,
    target: Option<(f64, String)>,
) -> Chart {
    let mut chart = Chart::new(id, title, summary, series);
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .chain(target.as_ref().map(|(t, _)| t * 1.1))
        .fold(0.0, f64::max);
    let top = chart.y_axis(max, format);
    chart.x_axis(labels);
    let slot = chart.plot_width() / labels.len().max(1) as f64;
    for s in series {
        let points: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let x = chart.left + slot * (i as f64 + 0.5);
                format!("{x:.1},{:.1}", chart.y(*v, top))
            })
            .collect();
        chart.lines.push(Line {
            points: points.join(" "),
            class: s.class,
            title: s.label.clone(),
        });
    }
    if let Some((value, label)) = target {
        let y = chart.y(value, top);
        chart.markers.push(Marker {
            x1: chart.left,
            y1: y,
            x2: chart.right,
            y2: y,
            class: "target",
            label,
            label_x: chart.right - 4.0,
            label_y: y - 4.0,
        });
    }
    chart
}

/// A round number at or above `max`: 1, 2, 2.5 or 5 times a power of ten.
fn nice_ceiling(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 4.0;
    }
    let magnitude = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|v| *v >= max)
        .unwrap_or(max)
}

/// A count for an axis or a tooltip.
pub fn count(value: f64) -> String {
    if value.fract().abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// A duration in seconds, as a person would say it.
pub fn duration(secs: f64) -> String {
    match secs {
        s if s < 90.0 => format!("{s:.0} s"),
        s if s < 5_400.0 => format!("{:.0} min", s / 60.0),
        s if s < 172_800.0 => format!("{:.1} h", s / 3_600.0),
        s => format!("{:.1} d", s / 86_400.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stacked_segments_fill_the_plot_in_proportion() {
        let labels = vec!["a".to_owned(), "b".to_owned()];
        let series = [
            Series {
                class: "one",
                label: "approved".into(),
                values: vec![30.0, 10.0],
            },
            Series {
                class: "two",
                label: "rejected".into(),
                values: vec![10.0, 0.0],
            },
        ];
        let chart = stacked_bars("v", "Volume", String::new(), &labels, &series);
        // 40 at most: the axis goes to 50; a zero makes no segment.
        assert_eq!(chart.y_ticks.last().map(|t| t.label.as_str()), Some("50"));
        assert_eq!(chart.bars.len(), 3);
        let h = |i: usize| chart.bars[i].h;
        assert!((h(0) - 3.0 * h(1)).abs() < 1e-6, "{} {}", h(0), h(1));
        // The second segment sits on the first.
        assert!((chart.bars[1].y + chart.bars[1].h - chart.bars[0].y).abs() < 1e-6);
        assert_eq!(chart.bars[0].title, "a: 30 approved");
    }

    #[test]
    fn targets_and_markers_are_placed_on_the_scale() {
        let labels: Vec<String> = (0..30).map(|i| i.to_string()).collect();
        let series = [Series {
            class: "p50",
            label: "p50".into(),
            values: vec![600.0; 30],
        }];
        let chart = lines(
            "s",
            "Speed",
            String::new(),
            &labels,
            &series,
            duration,
            Some((3600.0, "target".into())),
        );
        let target = &chart.markers[0];
        let top = 5000.0;
        let expected = chart.bottom - chart.plot_height() * 3600.0 / top;
        assert!((target.y1 - expected).abs() < 1e-6);
        assert!(chart.x_ticks.len() <= X_LABELS);
        let bars = grouped_bars(
            "c",
            "Scores",
            String::new(),
            &labels,
            &series,
            &[(0.5, "hold".into())],
        );
        assert!((bars.markers[0].x1 - (bars.left + bars.plot_width() / 2.0)).abs() < 1e-6);
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(
            (nice_ceiling(0.0), nice_ceiling(7.0), nice_ceiling(180.0)),
            (4.0, 10.0, 200.0)
        );
        assert_eq!(duration(45.0), "45 s");
        assert_eq!(duration(1_800.0), "30 min");
        assert_eq!(duration(7_200.0), "2.0 h");
        assert_eq!(duration(259_200.0), "3.0 d");
        assert_eq!((count(3.0), count(2.5)), ("3".to_owned(), "2.5".to_owned()));
    }
}
