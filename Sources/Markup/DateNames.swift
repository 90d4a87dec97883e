// SPDX-License-Identifier: MIT
// Names that appear in feed dates: months and weekdays in English and the common European languages
// (feeds in those languages localise them), and time-zone abbreviations (RFC 822 and common use).

enum DateNames {
    static func month(_ name: String) -> Int? { months[name.lowercased().trimmingPeriod] }
    static func isWeekday(_ name: String) -> Bool { weekdays.contains(name.lowercased().trimmingPeriod) }
    /// Seconds east of UTC.
    static func zone(_ name: String) -> Int? { zones[name.lowercased()] }

    private static let months: [String: Int] = [
        "jan": 1, "january": 1, "janv": 1, "janvier": 1, "enero": 1, "ene": 1, "gennaio": 1, "gen": 1,
        "januari": 1, "janeiro": 1, "januar": 1, "jänner": 1, "ιαν": 1, "ιανουαρίου": 1, "ιανουάριος": 1, "január": 1,
        "feb": 2, "february": 2, "febr": 2, "fevr": 2, "févr": 2, "février": 2, "febrero": 2, "febbraio": 2,
        "februari": 2, "fevereiro": 2, "fev": 2, "februar": 2, "φεβ": 2, "φεβρουαρίου": 2, "φεβρουάριος": 2, "február": 2,
        "mar": 3, "march": 3, "mars": 3, "marzo": 3, "maart": 3, "mrt": 3, "março": 3, "marco": 3,
        "märz": 3, "mär": 3, "mrz": 3, "μάρ": 3, "μαρ": 3, "μαρτίου": 3, "μάρτιος": 3, "március": 3,
        "apr": 4, "april": 4, "avr": 4, "avril": 4, "abril": 4, "abr": 4, "aprile": 4, "aprilis": 4,
        "απρ": 4, "απρίλιος": 4, "απριλίου": 4, "április": 4, "may": 5, "mai": 5, "mayo": 5, "maggio": 5,
        "mag": 5, "mei": 5, "maio": 5, "μάι": 5, "μαι": 5, "μαΐ": 5, "μαΐου": 5, "μάιος": 5,
        "május": 5, "jun": 6, "june": 6, "juin": 6, "junio": 6, "giugno": 6, "giu": 6, "juni": 6,
        "junho": 6, "ιούν": 6, "ιουν": 6, "ιον": 6, "ιουνίου": 6, "ιούνιος": 6, "június": 6, "jul": 7,
        "july": 7, "juil": 7, "juillet": 7, "julio": 7, "luglio": 7, "lug": 7, "juli": 7, "julho": 7,
        "ιούλ": 7, "ιουλ": 7, "ιολ": 7, "ιουλίου": 7, "ιούλιος": 7, "július": 7, "aug": 8, "august": 8,
        "aout": 8, "août": 8, "agosto": 8, "ago": 8, "augustus": 8, "αύγ": 8, "αυγ": 8, "αυγούστου": 8,
        "αύγουστος": 8, "augusztus": 8, "sep": 9, "sept": 9, "september": 9, "septembre": 9, "septiembre": 9, "setiembre": 9,
        "settembre": 9, "set": 9, "setembro": 9, "σεπ": 9, "σεπτεμβρίου": 9, "σεπτέμβριος": 9, "szeptember": 9, "oct": 10,
        "october": 10, "octobre": 10, "octubre": 10, "ottobre": 10, "ott": 10, "oktober": 10, "okt": 10, "outubro": 10,
        "out": 10, "οκτ": 10, "οκτωβρίου": 10, "οκτώβριος": 10, "október": 10, "nov": 11, "november": 11, "novembre": 11,
        "noviembre": 11, "novembro": 11, "νοέ": 11, "νοε": 11, "νοεμβρίου": 11, "νοέμβριος": 11, "dec": 12, "december": 12,
        "décembre": 12, "decembre": 12, "déc": 12, "diciembre": 12, "dic": 12, "dicembre": 12, "dezember": 12, "dez": 12,
        "dezembro": 12, "δεκ": 12, "δεκεμβρίου": 12, "δεκέμβριος": 12,
    ]

    private static let weekdays: Set<String> = [
        "mon", "monday", "tue", "tues", "tuesday", "wed", "weds", "wednesday", "thu", "thur", "thurs", "thursday",
        "fri", "friday", "sat", "saturday", "sun", "sunday", "lun", "lundi", "mar", "mardi", "mer", "mercredi",
        "jeu", "jeudi", "ven", "vendredi", "sam", "samedi", "dim", "dimanche", "lunes", "martes", "miércoles", "miercoles",
        "jueves", "viernes", "sábado", "sabado", "domingo", "mo", "di", "mi", "do", "fr", "sa", "so",
        "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì",
        "sabato", "domenica", "ma", "wo", "vr", "za", "zo", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag",
        "zaterdag", "zondag", "seg", "ter", "qua", "qui", "sex", "sáb", "dom", "segunda", "terça", "quarta",
        "quinta", "sexta", "κυρ", "δευ", "τρι", "τετ", "πεμ", "παρ", "σαβ", "h", "k", "sze",
        "cs", "p", "szo", "v",
    ]

    private static let zones: [String: Int] = [
        "ut": 0,
        "utc": 0,
        "gmt": 0,
        "z": 0,
        "wet": 0,
        "bst": 3600,
        "ist": 3600,
        "cet": 3600,
        "met": 3600,
        "mez": 3600,
        "cest": 7200,
        "mest": 7200,
        "mesz": 7200,
        "eet": 7200,
        "eest": 10800,
        "msk": 10800,
        "est": -18000,
        "edt": -14400,
        "cst": -21600,
        "cdt": -18000,
        "mst": -25200,
        "mdt": -21600,
        "pst": -28800,
        "pdt": -25200,
        "akst": -32400,
        "akdt": -28800,
        "hst": -36000,
        "ast": -14400,
        "adt": -10800,
        "nst": -12600,
        "ndt": -9000,
        "at": -14400,
        "et": -18000,
        "ct": -21600,
        "mt": -25200,
        "pt": -28800,
        "jst": 32400,
        "kst": 32400,
        "hkt": 28800,
        "sgt": 28800,
        "awst": 28800,
        "acst": 34200,
        "aest": 36000,
        "aedt": 39600,
        "nzst": 43200,
        "nzdt": 46800,
    ]
}

extension String {
    fileprivate var trimmingPeriod: String { hasSuffix(".") ? String(dropLast()) : self }
}
