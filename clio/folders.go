package clio

import (
	"context"
	"fmt"
	"strconv"
)

// FoldersService finds and creates document folders, such as a "Faxes"
// folder under a matter.
// https://docs.developers.clio.com/api-reference/#tag/Folders
type FoldersService service

// folderFields is the fields list for folders.
const folderFields = "id,name,root,parent{id,name},external_properties{id,name,value}"

// folderBody is what POST /folders.json is sent.
type folderBody struct {
	Name               string                 `json:"name"`
	Parent             Parent                 `json:"parent"`
	ExternalProperties []externalPropertyBody `json:"external_properties,omitempty"`
}

// checkParent checks a folder or document parent against the types
// allowed.
func checkParent(what string, p Parent, types ...string) error {
	if p.ID <= 0 {
		return &invalidRequestError{msg: fmt.Sprintf("%s parent id %d is not positive", what, p.ID)}
	}
	for _, t := range types {
		if p.Type == t {
			return nil
		}
	}
	return &invalidRequestError{msg: fmt.Sprintf("%s parent type %q not one of %v", what, p.Type, types)}
}

// Find returns the folders named exactly name (Clio's query matches
// parts of names; the exact match is made here) among the folders of
// owner, whose Type is Matter or Contact. It reads every page.
// https://docs.developers.clio.com/api-reference/#tag/Folders/operation/Folder#index
func (s *FoldersService) Find(ctx context.Context, owner Parent, name string) ([]Folder, error) {
	if err := checkParent("folder owner", owner, ParentMatter, ParentContact); err != nil {
		return nil, err
	}
	if name == "" {
		return nil, &invalidRequestError{msg: "folder name is empty"}
	}
	q := fieldsQuery(folderFields)
	key := "matter_id"
	if owner.Type == ParentContact {
		key = "contact_id"
	}
	q.Set(key, strconv.FormatInt(owner.ID, 10))
	q.Set("query", name)
	q.Set("order", orderByID)
	q.Set("limit", strconv.Itoa(maxLimit))
	var out []Folder
	err := listAll(ctx, s.client, "folders.json?"+q.Encode(), folderFields, func(page []Folder) error {
		for _, f := range page {
			if f.Name == name {
				out = append(out, f)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// FindByExternalProperty returns the folders that carry the external
// property name=value (an exact match), in id order. It asks for
// external_properties and keeps only the records that really carry it, so
// a server that ignores the filter cannot pass off an unrelated folder;
// such a server's list is read for at most 10 pages of 200.
// https://docs.developers.clio.com/api-reference/#tag/Folders/operation/Folder#index
func (s *FoldersService) FindByExternalProperty(ctx context.Context, name, value string) ([]Folder, *Response, error) {
	if name == "" || value == "" {
		return nil, nil, &invalidRequestError{msg: "external property name and value must not be empty"}
	}
	q := fieldsQuery(folderFields)
	q.Set("external_property_name", name)
	q.Set("external_property_value", value)
	q.Set("order", orderByID)
	q.Set("limit", strconv.Itoa(maxLimit))
	return lookup(ctx, s.client, "folders.json?"+q.Encode(), folderFields, func(f Folder) bool {
		return HasExternalProperty(f.ExternalProperties, name, value)
	})
}

// Create makes a folder under a matter's or contact's root folder or under
// another folder. Tag it with an external property to find it again with
// FindByExternalProperty. Clio takes no idempotency key: a retried create
// makes a second folder.
// https://docs.developers.clio.com/api-reference/#tag/Folders/operation/Folder#create
func (s *FoldersService) Create(ctx context.Context, f *FolderCreate) (*Folder, *Response, error) {
	if f == nil {
		return nil, nil, &invalidRequestError{msg: "folder is nil"}
	}
	if f.Name == "" {
		return nil, nil, &invalidRequestError{msg: "folder name is empty"}
	}
	if err := checkParent("folder", f.Parent, ParentMatter, ParentContact, ParentFolder); err != nil {
		return nil, nil, err
	}
	props, err := externalPropertyBodies("folder", f.ExternalProperties)
	if err != nil {
		return nil, nil, err
	}
	body := &folderBody{Name: f.Name, Parent: f.Parent, ExternalProperties: props}
	u := "folders.json?" + fieldsQuery(folderFields).Encode()
	return create[Folder](ctx, s.client, u, body)
}
