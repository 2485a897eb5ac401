import Testing
@testable import Costwise

/// ``CSVReader`` on RFC 4180 text: quoting, doubled quotes, line breaks inside fields, CRLF, empty
/// fields, blank lines, a byte-order mark, and errors that name the line a bad record starts on.
struct CSVReaderTests {
    /// Every record with the line it starts on.
    func records(_ text: String) throws -> [(fields: [String], line: Int)] {
        try records(Array(text.utf8))
    }

    func records(_ bytes: [UInt8]) throws -> [(fields: [String], line: Int)] {
        var reader = CSVReader(bytes: bytes, file: "t.csv")
        var records: [(fields: [String], line: Int)] = []
        while let record = try reader.nextRecord() { records.append(record) }
        return records
    }

    func error(_ text: String) -> InputError? {
        do {
            _ = try records(text)
            return nil
        } catch let error as InputError {
            return error
        } catch {
            return nil
        }
    }

    @Test("Quoted fields hold commas, doubled quotes and line breaks; the next record's line counts them")
    func quoting() throws {
        let read = try records("a,\"b,c\",\"say \"\"hi\"\"\"\n\"two\nlines\",x,\"\"\nlast,\"\",z\n")
        #expect(read.map(\.fields) == [["a", "b,c", "say \"hi\""], ["two\nlines", "x", ""], ["last", "", "z"]])
        #expect(read.map(\.line) == [1, 2, 4])
    }

    @Test("CRLF and LF line ends read alike; a CR inside quotes is kept")
    func lineEnds() throws {
        let crlf = try records("h1,h2\r\na,b\r\n\"c\r\nd\",e\r\n")
        #expect(crlf.map(\.fields) == [["h1", "h2"], ["a", "b"], ["c\r\nd", "e"]])
        #expect(crlf.map(\.line) == [1, 2, 3])
        #expect(try records("h1,h2\na,b\n").map(\.fields) == [["h1", "h2"], ["a", "b"]])
    }

    @Test("Empty fields are empty strings, at the start, the middle and the end")
    func emptyFields() throws {
        #expect(try records(",\na,,\n,b,\n").map(\.fields) == [["", ""], ["a", "", ""], ["", "b", ""]])
    }

    @Test("Blank lines are skipped and counted; the last record needs no line end; a BOM is dropped")
    func blankLinesAndBOM() throws {
        let read = try records([0xEF, 0xBB, 0xBF] + Array("a,b\n\n\r\n\nc,d".utf8))
        #expect(read.map(\.fields) == [["a", "b"], ["c", "d"]])
        #expect(read.map(\.line) == [1, 5])
        #expect(try records("").isEmpty)
        #expect(try records("\n\n").isEmpty)
    }

    @Test("Repeated values come back equal, not as the previous record's other fields")
    func repeatedValues() throws {
        let read = try records("model,task\nm,t\nm,u\nn,u\n\"m\",t\n")
        #expect(read.map(\.fields) == [["model", "task"], ["m", "t"], ["m", "u"], ["n", "u"], ["m", "t"]])
        #expect(try records("abc,é\nabd,é\nabc,è\n").map(\.fields) == [["abc", "é"], ["abd", "é"], ["abc", "è"]])
    }

    @Test("A quote inside an unquoted field is refused on its line")
    func quoteInsideUnquotedField() {
        #expect(error("a,b\nc,d\"e\n") == InputError(file: "t.csv", line: 2,
                                                    "a quote inside an unquoted field (quote the whole field and double the quote)"))
    }

    @Test("Text after a closing quote is refused on the line the quote closes")
    func textAfterClosingQuote() {
        #expect(error("a\n\"b\"c,d\n") == InputError(file: "t.csv", line: 2, "text after the closing quote of a quoted field"))
        #expect(error("\"one\ntwo\"x\n") == InputError(file: "t.csv", line: 2, "text after the closing quote of a quoted field"))
    }

    @Test("A quoted field never closed (a truncated file) is refused at the line its record starts")
    func neverClosed() {
        #expect(error("a,b\nc,\"d\ne\nf") == InputError(file: "t.csv", line: 2, "a quoted field is never closed"))
        #expect(error("\"") == InputError(file: "t.csv", line: 1, "a quoted field is never closed"))
    }

    @Test("Invalid UTF-8 is refused on its record's line, naming the column once the header is known")
    func invalidUTF8() throws {
        var reader = CSVReader(bytes: Array("model,task\n".utf8) + [0x61, 0x2C, 0xC3, 0x28, 0x0A], file: "t.csv")
        reader.columns = try #require(try reader.nextRecord()).fields
        #expect(throws: InputError(file: "t.csv", line: 2, field: "task", "the text is not valid UTF-8")) { try reader.nextRecord() }
        #expect(throws: InputError(file: "t.csv", line: 1, "the text is not valid UTF-8")) {
            var bare = CSVReader(bytes: [0x22, 0xFF, 0x22], file: "t.csv")
            _ = try bare.nextRecord()
        }
    }
}
